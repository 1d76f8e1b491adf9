import type { Address } from 'viem'
import {
  type ActorContext,
  actorAddress,
  amountOut,
  fundActor,
  type LivePool,
  type PlantedActor,
  send,
  sides,
  swapCall,
} from './actor.js'
import { PendingAttempts } from './pending.js'

interface Cycle {
  path: Address[]
  pools: LivePool[]
}

/** Every 3-token cycle through the given pools, starting at each of its tokens once. */
export function triangles(pools: LivePool[]): Cycle[] {
  const byPair = new Map<string, LivePool>()
  for (const p of pools) {
    byPair.set(`${p.token0}|${p.token1}`, p)
    byPair.set(`${p.token1}|${p.token0}`, p)
  }
  const tokens = [...new Set(pools.flatMap((p) => [p.token0, p.token1]))].sort()
  const cycles: Cycle[] = []
  for (const a of tokens)
    for (const b of tokens)
      for (const c of tokens) {
        if (a === b || b === c || a === c) continue
        const legs = [byPair.get(`${a}|${b}`), byPair.get(`${b}|${c}`), byPair.get(`${c}|${a}`)]
        if (legs.every((l) => l !== undefined)) cycles.push({ path: [a, b, c, a], pools: legs as LivePool[] })
      }
  return cycles
}

function cycleOut(cycle: Cycle, amountIn: bigint): bigint {
  let amount = amountIn
  for (const [i, pool] of cycle.pools.entries()) {
    const [rIn, rOut] = sides(pool, cycle.path[i] as Address)
    amount = amountOut(amount, rIn, rOut)
  }
  return amount
}

/**
 * Looks for a profitable 3-pool cycle each tick (sizes from 0.05% to 2% of the first pool's
 * input side) and trades the best one through the router, demanding at least its input back.
 */
export class CycleArbitrageur implements PlantedActor {
  readonly name = 'arbitrage'
  readonly bot: Address
  private readonly pending = new PendingAttempts<{ hashes: Array<string | null> }>()

  constructor(private readonly context: ActorContext) {
    this.bot = actorAddress(context.seed, 'cycle-arbitrageur')
  }

  async setup(): Promise<void> {
    const tokens = this.context.tokens.map((t) => ({
      address: t.address,
      amount: (10n ** BigInt(t.decimals) * 800_000n) / BigInt(Math.max(1, Math.round(t.usd))),
    }))
    await fundActor(this.context, this.context.treasury, this.bot, tokens)
  }

  async tick(pools: LivePool[]): Promise<void> {
    const known = new Set(this.context.tokens.map((t) => t.address.toLowerCase()))
    const live = pools.filter((p) => known.has(p.token0) && known.has(p.token1) && p.r0 > 0n && p.r1 > 0n)
    let best: { cycle: Cycle; amountIn: bigint; profit: bigint } | null = null
    for (const cycle of triangles(live)) {
      const [reserveIn] = sides(cycle.pools[0] as LivePool, cycle.path[0] as Address)
      for (const bps of [5n, 20n, 50n, 100n, 200n]) {
        const amountIn = (reserveIn * bps) / 10_000n
        const profit = cycleOut(cycle, amountIn) - amountIn
        // Compare profits across tokens by the share of the input they return.
        if (profit > 0n && (best === null || profit * best.amountIn > best.profit * amountIn))
          best = { cycle, amountIn, profit }
      }
    }
    if (best === null) return
    const hash = await send(
      this.context.rpc,
      this.bot,
      this.context.router,
      swapCall(best.amountIn, best.amountIn + 1n, best.cycle.path, this.bot),
    )
    this.pending.add({ hashes: [hash] })
  }

  async settle(): Promise<void> {
    await this.pending.settle(this.context.rpc, (item, [landed]) => {
      if (landed?.ok) {
        this.context.labels.record({
          kind: 'arbitrage',
          block: landed.block,
          tx: item.hashes[0] as string,
          attacker: this.bot,
        })
      }
    })
  }
}
