import { Type } from '@sinclair/typebox'

/** Settings of the prediction service, spread into the DEX config schema. */
export const predictConfigSchema = Type.Object({
  PREDICT_LOOKBACK_MINUTES: Type.Integer({
    default: 2880,
    minimum: 60,
    maximum: 20_160,
    description: 'Price prediction: minutes of 1-minute history each training reads per pool',
  }),
  PREDICT_RETRAIN_MINUTES: Type.Integer({
    default: 15,
    minimum: 1,
    description: 'Price prediction: retrain a pool and horizon when its model is older than this',
  }),
  PREDICT_REFRESH_MS: Type.Integer({
    default: 10_000,
    minimum: 100,
    description: 'Price prediction: how often forecasts are recomputed from the newest indexed minute',
  }),
})
