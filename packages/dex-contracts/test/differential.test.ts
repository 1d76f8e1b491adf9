import { describe, expect, it } from 'vitest'
import { replayOnBoth } from './differential.js'
import { mulberry32 } from './fixture.js'
import { createMarket, F, type Op, pathHas, poolHas, randomOp, seedLiquidity, WETH } from './market.js'

// Replay one failing sequence with DIFF_SEED=<seed> (and DIFF_STEPS=<n> for a longer run).
const SEEDS = process.env.DIFF_SEED ? [Number(process.env.DIFF_SEED)] : [101, 202, 303]
const STEPS = Number(process.env.DIFF_STEPS ?? 70)

/** The router family an operation goes through: plain, ETH (WETH at an end), fee-on-transfer. */
function category(op: Op): string {
  if (op.kind === 'swapIn' || op.kind === 'swapOut') {
    if (op.path[0] === WETH || op.path.at(-1) === WETH) return `${op.kind}:eth`
    return pathHas(op.path, F) ? `${op.kind}:fee` : op.kind
  }
  if (op.kind === 'add' || op.kind === 'remove') return poolHas(op.pool, WETH) ? `${op.kind}:eth` : op.kind
  return op.kind
}

describe('Soba against the original Uniswap v2 bytecode', () => {
  it.each(SEEDS)(
    'seed %i: the same operations give the same amounts, reserves, LP, fees and accumulators',
    async (seed) => {
      const [soba, uniswap] = [await createMarket('soba'), await createMarket('uniswap')]
      const rand = mulberry32(seed)
      // Odd seeds run with the protocol fee on from the start; random ops toggle it later.
      const ops: Op[] = [{ kind: 'fee', on: seed % 2 === 1, dt: 1 }, ...seedLiquidity]
      for (let i = 0; i < STEPS; i++) ops.push(randomOp(rand))

      const outcomes = await replayOnBoth(soba, uniswap, ops, `seed ${seed}, replay: DIFF_SEED=${seed}`)
      const succeeded = outcomes.filter((o) => o.ok).length
      const traded = new Set(ops.filter((_, i) => outcomes[i]!.ok).map(category))
      // The last LP holder is feeTo.
      const protocolFeeMinted = (await soba.state()).pools.some((pool) => pool.lp.at(-1)! > 0n)
      // The comparison only means something if most operations actually traded.
      expect(succeeded).toBeGreaterThan(ops.length / 2)
      if (seed % 2 === 1) expect(protocolFeeMinted).toBe(true)
      // Every router family was exercised successfully, not only attempted.
      for (const family of [
        'swapIn',
        'swapOut',
        'swapIn:eth',
        'swapOut:eth',
        'swapIn:fee',
        'add',
        'add:eth',
        'remove',
      ]) {
        expect([...traded], `seed ${seed}`).toContain(family)
      }
    },
  )
})
