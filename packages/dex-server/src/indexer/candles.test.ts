import type { Address } from 'viem'
import { describe, expect, it } from 'vitest'
import { aggregateCandles, bucketOf, type CandlePoint, pricePoints } from './candles.js'

const pool = '0x0000000000000000000000000000000000000001' as Address
let position = 0
const swap = (time: number, price: bigint, amount0In: bigint, amount1In: bigint) => ({
  pool,
  time,
  priceE18: price,
  amount0In,
  amount1In,
  amount0Out: amount1In > 0n ? 7n : 0n,
  amount1Out: amount0In > 0n ? 9n : 0n,
  blockNumber: ++position,
  logIndex: 1,
})
const sync = (time: number, price: bigint) => ({
  pool,
  time,
  priceE18: price,
  blockNumber: ++position,
  logIndex: 0,
})
const points = (swaps: ReturnType<typeof swap>[], before?: bigint): CandlePoint[] =>
  pricePoints(swaps, [], new Map(before === undefined ? [] : [[pool, before]]))

describe('candles', () => {
  it('align buckets to the epoch in UTC, weeks to Mondays', () => {
    const t = Date.UTC(2026, 10, 23, 13, 47, 12) / 1000
    expect(new Date(bucketOf(t, '15m') * 1000).toISOString()).toBe('2026-11-23T13:45:00.000Z')
    expect(new Date(bucketOf(t, '4h') * 1000).toISOString()).toBe('2026-11-23T12:00:00.000Z')
    expect(new Date(bucketOf(t, '1d') * 1000).toISOString()).toBe('2026-11-23T00:00:00.000Z')
    // 2026-11-23 is a Monday; the Sunday before belongs to the week of the 16th.
    expect(new Date(bucketOf(t, '1w') * 1000).toISOString()).toBe('2026-11-23T00:00:00.000Z')
    expect(new Date(bucketOf(t - 86_400, '1w') * 1000).toISOString()).toBe('2026-11-16T00:00:00.000Z')
  })

  it('fold swaps into open/high/low/close, volumes, input fees and trade counts', () => {
    const t = Date.UTC(2026, 10, 23, 13, 0, 5) / 1000
    const deltas = aggregateCandles(
      points([swap(t, 100n, 1000n, 0n), swap(t + 10, 120n, 0n, 2000n), swap(t + 70, 90n, 1999n, 0n)]),
    )
    const minute = deltas.filter((d) => d.interval === '1m')
    expect(minute).toHaveLength(2)
    expect(minute[0]).toMatchObject({ open: 100n, high: 120n, low: 100n, close: 120n, trades: 2 })
    expect(minute[0]).toMatchObject({ volume0: 1007n, volume1: 2009n, fees0: 3n, fees1: 6n })
    const hour = deltas.find((d) => d.interval === '1h')
    expect(hour).toMatchObject({ open: 100n, high: 120n, low: 90n, close: 90n, trades: 3, fees0: 3n + 5n })
    const week = deltas.find((d) => d.interval === '1w')
    expect(week).toMatchObject({ open: 100n, close: 90n, trades: 3 })
  })

  it('open each bucket at the previous close, so candles join and high/low include the open', () => {
    const t = Date.UTC(2026, 10, 23, 13, 0, 5) / 1000
    const minute = aggregateCandles(points([swap(t, 100n, 1n, 0n), swap(t + 60, 130n, 0n, 1n)], 95n)).filter(
      (d) => d.interval === '1m',
    )
    expect(minute[0]).toMatchObject({ open: 95n, high: 100n, low: 95n, close: 100n })
    expect(minute[1]).toMatchObject({ open: 100n, high: 130n, low: 100n, close: 130n })
  })

  it('move the price on a Sync without a swap (mint, burn, sync()) with no volume or trade', () => {
    const t = Date.UTC(2026, 10, 23, 13, 0, 5) / 1000
    const s = swap(t, 100n, 1000n, 0n)
    const moved = sync(t + 61, 80n)
    const deltas = aggregateCandles(pricePoints([s], [moved], new Map()))
    const minutes = deltas.filter((d) => d.interval === '1m')
    expect(minutes[1]).toMatchObject({ open: 100n, high: 100n, low: 80n, close: 80n, trades: 0, volume0: 0n })
    expect(deltas.find((d) => d.interval === '1h')).toMatchObject({ close: 80n, low: 80n, trades: 1 })
  })
})
