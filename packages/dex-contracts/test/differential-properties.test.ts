// Property-based differential test: fast-check draws whole operation sequences (router
// trades, liquidity, donations, protocol-fee toggles, flash swaps, permits) with amounts
// from 1 wei to past uint112 and past what any quote can hold, and every sequence must give
// the same results, revert reasons and state on Soba and on Uniswap v2's bytecode.
//
// Each run draws new seeds; a failure prints the seed and path to replay with
// DIFF_FC_SEED=<seed> DIFF_FC_PATH=<path>. DIFF_RUNS sets how many sequences to try.
import fc from 'fast-check'
import { beforeAll, describe, expect, it } from 'vitest'
import { replayOnBoth } from './differential.js'
import { createMarket, type Market, type Op, PATHS, POOLS, seedLiquidity, USERS } from './market.js'

const RUNS = Number(process.env.DIFF_RUNS ?? 20)
const replay = process.env.DIFF_FC_SEED
  ? { seed: Number(process.env.DIFF_FC_SEED), path: process.env.DIFF_FC_PATH }
  : {}

const UINT112_MAX = 2n ** 112n - 1n

/** Token amounts: rounding-sized, everyday, at the uint112 edge, and far past it. */
const amount = fc.oneof(
  { arbitrary: fc.bigInt(1n, 10_000n), weight: 2 },
  { arbitrary: fc.bigInt(1n, 10n ** 24n), weight: 6 },
  { arbitrary: fc.bigInt(UINT112_MAX - 2n ** 100n, UINT112_MAX + 2n ** 20n), weight: 1 },
  { arbitrary: fc.constantFrom(UINT112_MAX, UINT112_MAX + 1n, 2n ** 128n, 2n ** 200n), weight: 1 },
)
const user = fc.nat({ max: USERS - 1 })
const pool = fc.nat({ max: POOLS.length - 1 })
const dt = fc.oneof({ arbitrary: fc.integer({ min: 1, max: 600 }), weight: 9 }, fc.constant(2 ** 32 - 1))
const ppm = fc.bigInt(0n, 1_000_000n)
/** Flash repayment offsets: around the exact fee, or far off it either way. */
const repayDelta = fc.oneof(fc.bigInt(-3n, 3n), fc.bigInt(-(10n ** 30n), 10n ** 30n))

const op: fc.Arbitrary<Op> = fc.oneof(
  {
    arbitrary: fc.record({ kind: fc.constant('add'), user, pool, amountA: amount, amountB: amount, dt }),
    weight: 3,
  },
  { arbitrary: fc.record({ kind: fc.constant('remove'), user, pool, fractionPpm: ppm, dt }), weight: 2 },
  {
    arbitrary: fc.record({
      kind: fc.constant('swapIn'),
      user,
      path: fc.constantFrom(...PATHS),
      amountIn: amount,
      dt,
    }),
    weight: 5,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('swapOut'),
      user,
      path: fc.constantFrom(...PATHS),
      amountOut: amount,
      dt,
    }),
    weight: 4,
  },
  fc.record({
    kind: fc.constant('donate'),
    user,
    pool,
    side: fc.constantFrom(0 as const, 1 as const),
    amount,
    settle: fc.constantFrom('sync' as const, 'skim' as const),
    dt,
  }),
  fc.record({ kind: fc.constant('fee'), on: fc.boolean(), dt }),
  {
    arbitrary: fc.record({
      kind: fc.constant('flash'),
      user,
      pool,
      outPpm: fc.tuple(
        fc.oneof(fc.constant(0n), ppm, fc.bigInt(0n, 1_100_000n)),
        fc.oneof(fc.constant(0n), ppm),
      ),
      repayDelta: fc.tuple(repayDelta, repayDelta),
      reenter: fc.boolean(),
      dt,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.record({
      kind: fc.constant('permit'),
      user,
      pool,
      via: fc.constantFrom('pair' as const, 'router' as const),
      spender: user,
      value: fc.oneof(ppm, amount),
      expired: fc.boolean(),
      slack: fc.integer({ min: 0, max: 100_000 }),
      signer: fc.constantFrom('owner' as const, 'other' as const, 'tampered' as const),
      replay: fc.boolean(),
      approveMax: fc.boolean(),
      dt,
    }),
    weight: 2,
  },
)

let soba: Market
let uniswap: Market
beforeAll(async () => {
  ;[soba, uniswap] = await Promise.all([createMarket('soba'), createMarket('uniswap')])
})

describe('Soba against Uniswap v2 on sequences drawn by fast-check', () => {
  it('every sequence gives the same results, revert reasons and state', async () => {
    const drawn = { ops: 0, succeeded: 0 }
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 20 }), async (ops) => {
        await Promise.all([soba.reset(), uniswap.reset()])
        const outcomes = await replayOnBoth(
          soba,
          uniswap,
          [...seedLiquidity, ...ops],
          'fast-check prints the seed to replay',
        )
        drawn.ops += ops.length
        drawn.succeeded += outcomes.slice(seedLiquidity.length).filter((o) => o.ok).length
      }),
      { numRuns: RUNS, ...replay },
    )
    // Agreeing only on reverts would prove little: a fair share of the drawn operations traded.
    expect(drawn.succeeded).toBeGreaterThan(drawn.ops / 5)
  }, 600_000)
})
