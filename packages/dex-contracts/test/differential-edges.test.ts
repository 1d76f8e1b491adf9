// Soba against the original Uniswap v2 bytecode where implementations usually part ways:
// flash swaps through a borrower contract, EIP-2612 permits on the LP token (valid, expired,
// signed by the wrong key, tampered, replayed; on the pair and through the router), and
// amounts at and past uint112's limit. Every step must give the same result or revert
// reason and leave the same state (see differential.ts).
import { beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { replayOnBoth } from './differential.js'
import { createMarket, type Market, type Op, type Outcome, seedLiquidity } from './market.js'

const UINT112_MAX = 2n ** 112n - 1n
const permitDefaults = {
  via: 'pair',
  spender: 1,
  approveMax: false,
  replay: false,
  expired: false,
  slack: 600,
} as const

let soba: Market
let uniswap: Market
beforeAll(async () => {
  ;[soba, uniswap] = await Promise.all([createMarket('soba'), createMarket('uniswap')])
})
beforeEach(async () => {
  await Promise.all([soba.reset(), uniswap.reset()])
})

const isOutcome = (value: unknown): value is Outcome =>
  typeof value === 'object' && value !== null && 'ok' in value && 'result' in value

/** Replays `ops` on both and returns the outcomes as `ok` or the revert reason. */
async function results(ops: Op[], label: string): Promise<unknown[]> {
  const outcomes = await replayOnBoth(soba, uniswap, ops, label)
  const brief = (o: Outcome): unknown => (o.ok ? 'ok' : o.result)
  // A replayed permit answers with both sends' outcomes.
  return outcomes.map((o) =>
    Array.isArray(o.result) && o.result.every(isOutcome) ? o.result.map(brief) : brief(o),
  )
}

describe('flash swaps through a borrower contract', () => {
  const flash = (over: Partial<Extract<Op, { kind: 'flash' }>>): Op => ({
    kind: 'flash',
    user: 0,
    pool: 0,
    outPpm: [100_000n, 0n],
    repayDelta: [0n, 0n],
    reenter: false,
    dt: 7,
    ...over,
  })

  it('agree on repayment at, just under and over the fee, on both sides, in the other token, and on re-entry', async () => {
    const ops: Op[] = [
      ...seedLiquidity,
      flash({}), // exactly out * 1000 / 997, rounded up
      flash({ repayDelta: [-1n, 0n] }), // one wei short
      flash({ outPpm: [0n, 250_000n], repayDelta: [0n, 5n] }),
      flash({ outPpm: [50_000n, 70_000n] }), // both sides
      flash({ outPpm: [50_000n, 70_000n], repayDelta: [-1n, -1n] }), // both one wei short
      flash({ outPpm: [100_000n, 0n], repayDelta: [-(10n ** 40n), 10n ** 24n] }), // borrow token0, pay in token1
      flash({ outPpm: [100_000n, 0n], repayDelta: [-(10n ** 40n), 1n] }), // ... too little of it
      flash({ outPpm: [0n, 0n] }),
      flash({ outPpm: [1_000_000n, 0n] }), // the whole reserve
      flash({ outPpm: [999_999n, 0n], repayDelta: [10n ** 30n, 0n] }),
      flash({ reenter: true }),
      flash({ pool: 2 }), // WETH pool
      flash({ pool: 3, outPpm: [50_000n, 50_000n] }), // F: the pair receives 1% less than repaid
      flash({ pool: 3, outPpm: [50_000n, 50_000n], repayDelta: [10n ** 22n, 10n ** 22n] }),
    ]
    const got = await results(ops, 'flash scenarios')
    expect(got.slice(seedLiquidity.length)).toEqual([
      'ok',
      'SobaV2: K',
      'ok',
      'ok',
      'SobaV2: K',
      'ok',
      'SobaV2: K',
      'SobaV2: INSUFFICIENT_OUTPUT_AMOUNT',
      'SobaV2: INSUFFICIENT_LIQUIDITY',
      'ok',
      'SobaV2: LOCKED',
      'ok',
      'SobaV2: K',
      'ok',
    ])
  })
})

describe('EIP-2612 permit on the LP token', () => {
  const permit = (over: Partial<Extract<Op, { kind: 'permit' }>>): Op => ({
    kind: 'permit',
    user: 0,
    pool: 0,
    value: 10n ** 18n,
    signer: 'owner',
    dt: 5,
    ...permitDefaults,
    ...over,
  })

  it('agree on valid, expired, wrong-signer, tampered and replayed permits, on the pair and through the router', async () => {
    const ops: Op[] = [
      ...seedLiquidity,
      permit({}),
      permit({ expired: true, slack: 0 }),
      permit({ expired: true, slack: 3600 }),
      permit({ signer: 'other' }),
      permit({ signer: 'tampered' }),
      permit({ replay: true, value: 7n }),
      permit({ slack: 0, spender: 2, value: 2n ** 256n - 1n }),
      permit({ via: 'router', value: 250_000n }), // removeLiquidityWithPermit, a quarter of the LP
      permit({ via: 'router', value: 500_000n, approveMax: true }),
      permit({ via: 'router', user: 2, pool: 2, value: 300_000n }), // removeLiquidityETHWithPermit
      permit({ via: 'router', user: 2, pool: 2, value: 300_000n, approveMax: true }),
      permit({ via: 'router', expired: true }), // the router permits before it checks its deadline
      permit({ via: 'router', signer: 'other' }),
      permit({ via: 'router', signer: 'tampered' }),
      permit({ via: 'router', replay: true, value: 100_000n }),
    ]
    const got = await results(ops, 'permit scenarios')
    expect(got.slice(seedLiquidity.length)).toEqual([
      'ok',
      'SobaV2: EXPIRED',
      'SobaV2: EXPIRED',
      'SobaV2: INVALID_SIGNATURE',
      'SobaV2: INVALID_SIGNATURE',
      ['ok', 'SobaV2: INVALID_SIGNATURE'],
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
      'SobaV2: EXPIRED',
      'SobaV2: INVALID_SIGNATURE',
      'SobaV2: INVALID_SIGNATURE',
      ['ok', 'SobaV2: INVALID_SIGNATURE'],
    ])
    const [pool] = (await soba.state()).pools
    expect(pool!.nonces[0]).toBeGreaterThan(0n) // the permits above were counted
  })
})

describe('amounts at the uint112 limit', () => {
  it('agree on reserves at exactly uint112 max, and on every way past it', async () => {
    const ops: Op[] = [
      // Pool 0 filled to exactly uint112 max on both sides: allowed.
      { kind: 'add', user: 0, pool: 0, amountA: UINT112_MAX, amountB: UINT112_MAX, dt: 1 },
      // 1 wei in buys nothing there; 10 wei buy 9 and overflow reserve0, as does a donation
      // synced in or a deposit. Skimming the excess is fine.
      { kind: 'swapIn', user: 1, path: [0, 1], amountIn: 1n, dt: 1 },
      { kind: 'swapIn', user: 1, path: [0, 1], amountIn: 10n, dt: 1 },
      { kind: 'donate', user: 1, pool: 0, side: 0, amount: 1n, settle: 'sync', dt: 1 },
      { kind: 'donate', user: 1, pool: 0, side: 1, amount: 2n ** 100n, settle: 'skim', dt: 1 },
      { kind: 'add', user: 1, pool: 0, amountA: 10n ** 18n, amountB: 10n ** 18n, dt: 1 },
      // Removing 1 ppm makes room for 2^80 but not for 2^100, nor for the input half the pool costs.
      { kind: 'remove', user: 0, pool: 0, fractionPpm: 1n, dt: 1 },
      { kind: 'swapIn', user: 1, path: [0, 1], amountIn: 2n ** 80n, dt: 1 },
      { kind: 'swapIn', user: 1, path: [0, 1], amountIn: 2n ** 100n, dt: 1 },
      { kind: 'swapOut', user: 2, path: [1, 0], amountOut: UINT112_MAX / 2n, dt: 1 },
      // A first deposit of 2^112: OVERFLOW before anything is stored.
      { kind: 'add', user: 1, pool: 1, amountA: UINT112_MAX + 1n, amountB: 10n ** 18n, dt: 1 },
      // Quotes that overflow uint256, and one that asks for more than the reserve (v2's
      // getAmountIn underflows there rather than checking): checked arithmetic on both sides.
      { kind: 'swapIn', user: 1, path: [1, 0], amountIn: 2n ** 200n, dt: 1 },
      { kind: 'swapOut', user: 1, path: [1, 0], amountOut: UINT112_MAX, dt: 1 },
      // The most lopsided pool there is (1 wei against uint112 max): the price accumulator
      // gains 2^224 per second, so a 2^32 - 1 second gap wraps it past 2^256.
      { kind: 'add', user: 2, pool: 2, amountA: UINT112_MAX, amountB: 1n, dt: 1 },
      { kind: 'donate', user: 2, pool: 2, side: 0, amount: 0n, settle: 'sync', dt: 2 ** 32 - 1 },
      { kind: 'donate', user: 2, pool: 2, side: 0, amount: 0n, settle: 'sync', dt: 2 ** 32 - 1 },
      { kind: 'swapIn', user: 2, path: [4, 0], amountIn: 1n, dt: 1 },
      { kind: 'remove', user: 2, pool: 2, fractionPpm: 1_000_000n, dt: 1 },
    ]
    const got = await results(ops, 'uint112 scenarios')
    expect(got).toEqual([
      'ok',
      'SobaV2: INSUFFICIENT_OUTPUT_AMOUNT',
      'SobaV2: OVERFLOW',
      'SobaV2: OVERFLOW',
      'ok',
      'SobaV2: OVERFLOW',
      'ok',
      'ok',
      'SobaV2: OVERFLOW',
      'SobaV2: OVERFLOW',
      'SobaV2: OVERFLOW',
      'arithmetic',
      'arithmetic',
      'ok',
      'ok',
      'ok',
      'ok',
      'ok',
    ])
  })
})
