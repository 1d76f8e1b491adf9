import { describe, expect, it } from 'vitest'
import { findAbnormalVolume, type VolumeTrade } from './abnormal-volume.js'

const trade = (block: number, trader: string, volume0: bigint): VolumeTrade => ({
  blockNumber: block,
  txHash: `0x${trader.slice(2)}${block.toString(16)}`,
  trader,
  pool: '0xpool',
  volume0,
})

/** 400 blocks of ordinary trading: one trade a block, 10–12 units. */
const ordinary = Array.from({ length: 400 }, (_, block) => trade(block, '0xretail', BigInt(10 + (block % 3))))

describe('abnormal volume', () => {
  it('names the sender behind a burst that straddles a window boundary, and only it', () => {
    // 10 blocks at 15× a block's usual volume, half each side of block 250
    const burst = Array.from({ length: 10 }, (_, i) => trade(245 + i, '0xbooster', 150n))
    const found = findAbnormalVolume([...ordinary, ...burst])
    expect(found.length).toBeGreaterThan(0)
    expect(new Set(found.flatMap((f) => f.contributors.map((c) => c.address)))).toEqual(
      new Set(['0xbooster']),
    )
    // the window that holds the whole burst is among them
    expect(found.some((f) => f.window[0] <= 245 && f.window[1] >= 254)).toBe(true)
  })

  it('flags nothing in ordinary trading, nor before the pool has a history', () => {
    expect(findAbnormalVolume(ordinary)).toEqual([])
    const young = [
      ...ordinary.slice(0, 100),
      ...Array.from({ length: 5 }, (_, i) => trade(100 + i, '0xb', 500n)),
    ]
    expect(findAbnormalVolume(young)).toEqual([])
  })
})
