import { describe, expect, it } from 'vitest'
import { seededRandom } from './random.js'
import { ReferencePath } from './reference.js'
import { perTickVolatility } from './volatility.js'

describe('reference prices', () => {
  it('moves a volatile token that wanders past $1 as much as anywhere else (it is not pinned)', () => {
    const path = new ReferencePath([{ address: 'meme', usd: 1.08 }], seededRandom(11), 0.02)
    const nearOne: number[] = []
    for (let i = 0; i < 3_000; i++) {
      const before = path.price('meme')!
      path.step()
      if (Math.abs(before - 1) < 0.05) nearOne.push(Math.abs(Math.log(path.price('meme')! / before)))
    }
    expect(nearOne.length).toBeGreaterThan(20)
    const meanMove = nearOne.reduce((a, b) => a + b, 0) / nearOne.length
    expect(meanMove).toBeGreaterThan(0.01) // ~0.8 × 2% for a free walk; a pinned stable moves ~0.05%
  })

  it('keeps tokens that start at $1 near $1', () => {
    const path = new ReferencePath([{ address: 'usdc', usd: 1 }], seededRandom(5), 0.02)
    for (let i = 0; i < 1_000; i++) path.step()
    expect(Math.abs(path.price('usdc')! - 1)).toBeLessThan(0.01)
  })

  it('scales an annual volatility to a tick: 80% a year is about 1.4 bps a second', () => {
    expect(perTickVolatility(0.8, 1000)).toBeCloseTo(0.8 / Math.sqrt(365 * 24 * 3600), 10)
    expect(perTickVolatility(0.8, 1000) * 10_000).toBeGreaterThan(1.4)
    expect(perTickVolatility(0.8, 1000) * 10_000).toBeLessThan(1.5)
  })
})
