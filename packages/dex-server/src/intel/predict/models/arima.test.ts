import { describe, expect, it } from 'vitest'
import { buildFeatures } from '../features.js'
import { syntheticSeries } from '../test-series.js'
import { walkForward } from '../walk-forward.js'
import { arima } from './arima.js'

describe('ARIMA', () => {
  it('keeps only stationary, invertible fits: forecasts stay near the price on noise of every kind', async () => {
    for (const seed of [1, 2, 3]) {
      for (const [kind, keep] of [
        ['random-walk', 0],
        ['mean-reverting', 0],
        ['mean-reverting', 0.4],
        ['mean-reverting', 0.95],
      ] as const) {
        const input = buildFeatures(syntheticSeries({ minutes: 900, seed, kind, keep }))
        for (const h of [1, 60]) {
          const track = await walkForward(input, arima, { h, firstOrigin: 300, refitEvery: 60 })
          track.forecasts.forEach((forecast, i) => {
            const origin = input.y[300 + i] as number
            expect(
              Math.abs(forecast - origin),
              `${kind} keep=${keep} seed=${seed} h=${h} i=${i}`,
            ).toBeLessThan(0.2)
          })
        }
      }
    }
  })

  it('finds the mean reversion of an AR(1) in levels', () => {
    const input = buildFeatures(
      syntheticSeries({ minutes: 1000, seed: 8, kind: 'mean-reverting', keep: 0.5 }),
    )
    expect(arima.fit(input, 1).describe()).toMatch(/^ARIMA\(\d,0,\d\)$/)
  })
})
