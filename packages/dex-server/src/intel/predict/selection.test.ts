import { describe, expect, it } from 'vitest'
import { onlineSelection, runModels, selectModel } from './backtest.js'
import { buildFeatures } from './features.js'
import { FORECASTERS } from './models/index.js'
import { syntheticSeries } from './test-series.js'

const options = { h: 1, firstOrigin: 300, refitEvery: 60, window: 720 }

describe('model selection by walk-forward validation', () => {
  it('falls back to naive on pure noise (random walks, three seeds)', async () => {
    for (const seed of [1, 2, 3]) {
      const series = syntheticSeries({ minutes: 1200, seed, kind: 'random-walk' })
      const input = buildFeatures(series)
      const runs = await runModels(input, FORECASTERS, options)
      const selection = selectModel(input.y, runs, input.y.length - 1, options)
      expect(selection.model, `seed ${seed}`).toBe('naive')
      expect(selection.reason).toBe('none_beats_naive')
      expect(selection.candidates.map((c) => c.model).sort()).toEqual(['arima', 'ets', 'gbm'])
      // The online score of "select, then forecast" is naive's own: U = 1 within rounding.
      const online = onlineSelection(input.y, runs, options)
      expect(online?.selected.theilU).toBeLessThanOrEqual(1.02)
    }
  })

  it('picks a challenger when the price mean-reverts, and that challenger beats naive out of sample', async () => {
    const series = syntheticSeries({ minutes: 1200, seed: 4, kind: 'mean-reverting', keep: 0.5 })
    const input = buildFeatures(series)
    const runs = await runModels(input, FORECASTERS, options)
    const selection = selectModel(input.y, runs, input.y.length - 1, options)
    expect(selection.model).not.toBe('naive')
    expect(selection.reason).toBe('beats_naive')
    const online = onlineSelection(input.y, runs, options)
    // AR(1) with coefficient 0.5: the best possible U is sqrt((1 + 0.5) / 2) ≈ 0.87.
    expect(online?.selected.theilU).toBeLessThan(0.92)
    expect(online?.selected.coverage95).toBeGreaterThan(0.9)
  })

  it('says it has too little history rather than choosing on a handful of errors', async () => {
    const input = buildFeatures(syntheticSeries({ minutes: 360, seed: 9, kind: 'mean-reverting' }))
    const runs = await runModels(input, FORECASTERS, options)
    const selection = selectModel(input.y, runs, input.y.length - 1, options)
    expect(selection).toMatchObject({ model: 'naive', reason: 'insufficient_history' })
  })
})
