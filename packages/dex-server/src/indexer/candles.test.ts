import type { Address } from 'viem'
import { describe, expect, it } from 'vitest'
import { aggregateCandles, bucketOf } from './candles.js'

const pool = '0x0000000000000000000000000000000000000001' as Address
const swap = (time: number, price: bigint, amount0In: bigint, amount1In: bigint) => ({
  pool,
  time,
  priceE18: price,
  amount0In,
  amount1In,
  amount0Out: amount1In > 0n ? 7n : 0n,
  amount1Out: amount0In > 0n ? 9n : 0n,
})

describe('candles', () => {
  it('align buckets to the epoch in UTC', () => {
    const t = Date.UTC(2026, 10, 23, 13, 47, 12) / 1000
    expect(new Date(bucketOf(t, '15m') * 1000).toISOString()).toBe('2026-11-23T13:45:00.000Z')
    expect(new Date(bucketOf(t, '4h') * 1000).toISOString()).toBe('2026-11-23T12:00:00.000Z')
    expect(new Date(bucketOf(t, '1d') * 1000).toISOString()).toBe('2026-11-23T00:00:00.000Z')
  })

  it('fold swaps into open/high/low/close, volumes, input fees and trade counts', () => {
    const t = Date.UTC(2026, 10, 23, 13, 0, 5) / 1000
    const deltas = aggregateCandles([
      swap(t, 100n, 1000n, 0n),
      swap(t + 10, 120n, 0n, 2000n),
      swap(t + 70, 90n, 1999n, 0n),
    ])
    const minute = deltas.filter((d) => d.interval === '1m')
    expect(minute).toHaveLength(2)
    expect(minute[0]).toMatchObject({ open: 100n, high: 120n, low: 100n, close: 120n, trades: 2 })
    expect(minute[0]).toMatchObject({ volume0: 1007n, volume1: 2009n, fees0: 3n, fees1: 6n })
    const hour = deltas.find((d) => d.interval === '1h')
    expect(hour).toMatchObject({ open: 100n, high: 120n, low: 90n, close: 90n, trades: 3, fees0: 3n + 5n })
  })
})
