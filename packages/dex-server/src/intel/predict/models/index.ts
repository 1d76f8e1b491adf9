import { arima } from './arima.js'
import { ets } from './ets.js'
import { gbm } from './gbm.js'
import { naive } from './naive.js'
import type { Forecaster } from './types.js'

/** Every candidate, naive first: it is the baseline the others are measured against. */
export const FORECASTERS: readonly Forecaster[] = [naive, arima, ets, gbm]
