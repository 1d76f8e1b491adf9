import type { ModelInput } from './features.js'
import type { ForecastQuality } from './metrics.js'
import { HORIZONS, type Horizon, type PoolSeries, STEP_SECONDS, timeAt } from './series.js'
import type { TrainedModel } from './trainer.js'

export interface PriceInterval {
  low: string
  high: string
}

/** The JSON the prediction route answers, computed by the worker, read as is by the request path. */
export interface PredictionView {
  pool: string
  horizon: Horizon
  /** End of the newest minute the forecast saw. */
  asOf: string
  /** When the forecast price is due: asOf + horizon. */
  targetTime: string
  /** Mid price at asOf, token1 per token0 in whole units. */
  price: string
  forecast: { price: string; interval80: PriceInterval | null; interval95: PriceInterval | null }
  model: { name: string; description: string; trainedAt: string; historyMinutes: number }
  selection: {
    reason: string
    candidates: Array<{ model: string; forecasts: number; theilU: number | null; dieboldMariano: number }>
  }
  backtest: {
    forecasts: number
    mae: string
    theilU: number | null
    directionalAccuracy: { value: number; ci95: [number, number]; calls: number } | null
    coverage80: number | null
    coverage95: number | null
  } | null
}

/** Decimal string with 10 significant digits and no exponent (prices of tiny tokens included). */
export function formatPrice(value: number): string {
  if (!Number.isFinite(value)) throw new Error(`not a price: ${value}`)
  // toFixed switches to an exponent from 1e21 on; an integer that large prints exactly via BigInt.
  if (Math.abs(value) >= 1e21) return BigInt(Math.round(value)).toString()
  const precise = value.toPrecision(10)
  if (!precise.includes('e')) return precise.includes('.') ? precise.replace(/\.?0+$/, '') : precise
  const digits = Math.max(0, 9 - Math.floor(Math.log10(Math.abs(value))))
  return value.toFixed(Math.min(digits, 100)).replace(/\.?0+$/, '')
}

const round = (v: number | null, digits = 4) => (v === null ? null : Number(v.toFixed(digits)))

function interval(forecast: number, low: number, high: number): PriceInterval {
  return { low: formatPrice(Math.exp(forecast + low)), high: formatPrice(Math.exp(forecast + high)) }
}

function backtestView(q: ForecastQuality | null): PredictionView['backtest'] {
  if (q === null) return null
  return {
    forecasts: q.forecasts,
    mae: formatPrice(q.mae),
    theilU: round(q.theilU),
    directionalAccuracy: q.directionalAccuracy
      ? {
          value: round(q.directionalAccuracy.value) as number,
          ci95: [
            round(q.directionalAccuracy.ci95[0]) as number,
            round(q.directionalAccuracy.ci95[1]) as number,
          ],
          calls: q.directionalAccuracy.calls,
        }
      : null,
    coverage80: round(q.coverage80),
    coverage95: round(q.coverage95),
  }
}

/** Applies a trained model to the newest minute of the series. */
export function predict(trained: TrainedModel, series: PoolSeries, input: ModelInput): PredictionView {
  const last = input.y.length - 1
  const forecast = trained.fitted.forecast(input)
  const asOf = timeAt(series, last) + STEP_SECONDS
  const offsets = trained.offsets
  return {
    pool: series.pool,
    horizon: trained.horizon,
    asOf: new Date(asOf * 1000).toISOString(),
    targetTime: new Date((asOf + HORIZONS[trained.horizon] * STEP_SECONDS) * 1000).toISOString(),
    price: formatPrice(Math.exp(input.y[last] as number)),
    forecast: {
      price: formatPrice(Math.exp(forecast)),
      interval80: offsets ? interval(forecast, offsets[1], offsets[2]) : null,
      interval95: offsets ? interval(forecast, offsets[0], offsets[3]) : null,
    },
    model: {
      name: trained.model,
      description: trained.description,
      trainedAt: trained.trainedAt.toISOString(),
      historyMinutes: trained.minutes,
    },
    selection: {
      reason: trained.selection.reason,
      candidates: trained.selection.candidates.map((c) => ({
        model: c.model,
        forecasts: c.forecasts,
        theilU: round(c.theilU),
        dieboldMariano: round(Number.isFinite(c.dm) ? c.dm : Math.sign(c.dm) * 1e6, 3) as number,
      })),
    },
    backtest: backtestView(trained.backtest),
  }
}
