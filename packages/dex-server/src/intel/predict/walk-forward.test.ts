import { describe, expect, it } from 'vitest'
import { buildFeatures } from './features.js'
import { FORECASTERS } from './models/index.js'
import { syntheticSeries } from './test-series.js'
import { walkForward } from './walk-forward.js'

describe('walk-forward forecasting', () => {
  it('never looks ahead: a forecast at minute t is the same whatever happens after t', async () => {
    const series = syntheticSeries({ minutes: 700, seed: 5, kind: 'mean-reverting' })
    const cut = 560
    // The same history up to `cut`, then a future that is all NaN: any read past t would poison
    // a forecast made at t ≤ cut (NaN propagates through every model's arithmetic).
    const poisoned = structuredClone(series)
    for (const column of [poisoned.logPrice, poisoned.buy0, poisoned.sell0, poisoned.reserve0]) {
      column.fill(Number.NaN, cut + 1)
    }
    const clean = buildFeatures(series)
    const dirty = buildFeatures(poisoned)
    for (const forecaster of FORECASTERS) {
      for (const h of [1, 5, 60]) {
        const options = { h, firstOrigin: 400, refitEvery: 30 }
        const a = await walkForward(clean, forecaster, options)
        const b = await walkForward(dirty, forecaster, options)
        for (let t = options.firstOrigin; t <= cut; t++) {
          const i = t - options.firstOrigin
          expect(Number.isFinite(b.forecasts[i]), `${forecaster.name} h=${h} t=${t}`).toBe(true)
          expect(b.forecasts[i], `${forecaster.name} h=${h} t=${t}`).toBe(a.forecasts[i])
        }
      }
    }
  })

  it('refits on schedule and forecasts every origin up to the newest minute', async () => {
    const input = buildFeatures(syntheticSeries({ minutes: 300, seed: 2, kind: 'random-walk' }))
    const refits: number[] = []
    const track = await walkForward(input, FORECASTERS[1] as (typeof FORECASTERS)[number], {
      h: 5,
      firstOrigin: 200,
      refitEvery: 25,
      onRefit: (done) => {
        refits.push(done)
      },
    })
    expect(track.forecasts.length).toBe(100)
    expect(refits).toEqual([1, 2, 3, 4])
  })
})
