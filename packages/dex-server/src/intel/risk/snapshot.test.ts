import { describe, expect, it } from 'vitest'
import { HISTORY_TRADES, RiskSnapshot } from './snapshot.js'
import { scoreTrade } from './trade.js'
import type { SwapLeg } from './wash.js'

const leg = (block: number, amountIn: bigint, tokenIn = 'usdc'): SwapLeg => ({
  blockNumber: block,
  logIndex: 0,
  txHash: `0x${block.toString(16)}`,
  trader: '0xt',
  pool: '0xpool',
  tokenIn,
  tokenOut: tokenIn === 'usdc' ? 'weth' : 'usdc',
  amountIn,
  amountOut: 1n,
})

describe('risk snapshot', () => {
  it("keeps the median of the pool's last trades per input token, the older ones forgotten", () => {
    // 600 old trades of 1,000,000, then the last 500 of 10..5,000
    const old = Array.from({ length: 600 }, (_, i) => leg(i + 1, 1_000_000n))
    const recent = Array.from({ length: HISTORY_TRADES }, (_, i) => leg(1000 + i, BigInt(10 * (i + 1))))
    const snapshot = new RiskSnapshot([], [...recent, ...old], new Map(), 0)
    expect(snapshot.medianTradeIn('0xpool', 'usdc')).toBe(2500n)
    expect(snapshot.medianTradeIn('0xpool', 'weth')).toBeNull()
    expect(snapshot.medianTradeIn('0xother', 'usdc')).toBeNull()
  })

  it('scores a trade from the snapshot: honeypot tokens, the sender, size against the median', () => {
    const snapshot = new RiskSnapshot(
      [{ address: '0xwasher', code: 'wash_trading', detail: '3 round trips', evidence: ['0x1', '0x2'] }],
      [leg(1, 100n), leg(2, 100n), leg(3, 300n)],
      new Map([['trap', { reason: 'sell reverted', pool: '0xtrap-pool' }]]),
      0,
    )
    const clean = scoreTrade(snapshot, '0xpool', {
      from: '0xnobody',
      tokenIn: 'usdc',
      tokenOut: 'weth',
      amountIn: 2000n,
    })
    expect(clean).toEqual({ score: 0, level: 'low', reasons: [] })
    const risky = scoreTrade(snapshot, '0xpool', {
      from: '0xwasher',
      tokenIn: 'usdc',
      tokenOut: 'trap',
      amountIn: 2001n,
    })
    expect(risky.reasons.map((r) => r.code)).toEqual(['honeypot_token', 'wash_trading', 'abnormal_volume'])
    expect(risky).toMatchObject({ score: 100, level: 'critical' })
    expect(risky.reasons[0]?.evidence).toEqual(['0xtrap-pool'])
  })
})
