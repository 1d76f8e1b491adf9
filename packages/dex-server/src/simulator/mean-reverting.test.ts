import { describe, expect, it } from 'vitest'
import { MeanRevertingReference, type OrnsteinUhlenbeckParams, ouStep } from './mean-reverting.js'
import { seededRandom } from './random.js'

const params: OrnsteinUhlenbeckParams = { mean: 10, halfLifeSeconds: 45, stationarySd: 0.02 }

/** Least-squares slope of x[t+1] - mu on x[t] - mu. */
function arCoefficient(logs: number[], mu: number): number {
  let num = 0
  let den = 0
  for (let i = 1; i < logs.length; i++) {
    num += ((logs[i] as number) - mu) * ((logs[i - 1] as number) - mu)
    den += ((logs[i - 1] as number) - mu) ** 2
  }
  return num / den
}

describe('mean-reverting reference (Ornstein–Uhlenbeck)', () => {
  it('reverts at the configured half-life and keeps the configured spread', () => {
    const random = seededRandom(3)
    const logs: number[] = []
    let price = params.mean
    for (let i = 0; i < 20_000; i++) {
      price = ouStep(price, params, 60, random)
      logs.push(Math.log(price))
    }
    const expected = Math.exp((-Math.LN2 / params.halfLifeSeconds) * 60)
    expect(arCoefficient(logs, Math.log(params.mean))).toBeCloseTo(expected, 1)
    const mean = logs.reduce((a, b) => a + b, 0) / logs.length
    const sd = Math.sqrt(logs.reduce((a, b) => a + (b - mean) ** 2, 0) / logs.length)
    expect(sd).toBeGreaterThan(0.018)
    expect(sd).toBeLessThan(0.022)
  })

  it('samples the same process whatever the tick period (60 one-second steps = one minute step)', () => {
    const spread = (steps: number, dt: number) => {
      const random = seededRandom(11)
      const ends: number[] = []
      for (let run = 0; run < 4000; run++) {
        let price = params.mean * 1.05
        for (let i = 0; i < steps; i++) price = ouStep(price, params, dt, random)
        ends.push(Math.log(price))
      }
      const mean = ends.reduce((a, b) => a + b, 0) / ends.length
      return { mean, sd: Math.sqrt(ends.reduce((a, b) => a + (b - mean) ** 2, 0) / ends.length) }
    }
    const fine = spread(60, 1)
    const coarse = spread(1, 60)
    expect(fine.mean).toBeCloseTo(coarse.mean, 2)
    expect(fine.sd / coarse.sd).toBeGreaterThan(0.95)
    expect(fine.sd / coarse.sd).toBeLessThan(1.05)
  })

  it('owns only its token and starts at the mean', () => {
    const actor = new MeanRevertingReference('0xAbC0000000000000000000000000000000000001', {
      seed: 1,
      tickSeconds: 1,
    })
    expect(actor.owns('0xabc0000000000000000000000000000000000001')).toBe(true)
    expect(actor.owns('0xabc0000000000000000000000000000000000002')).toBe(false)
    expect(actor.price()).toBe(10)
    actor.step()
    expect(actor.price()).not.toBe(10)
  })
})
