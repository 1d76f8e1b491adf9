import { problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../../app.js'
import { AddressSchema } from '../../market/schemas.js'
import { HORIZON_NAMES, type Horizon } from './series.js'
import type { PredictWorker } from './worker.js'

const Interval = Type.Union([Type.Object({ low: Type.String(), high: Type.String() }), Type.Null()])
const Rate = Type.Union([Type.Number(), Type.Null()])

const PredictionSchema = Type.Object({
  pool: Type.String(),
  horizon: Type.String(),
  asOf: Type.String({ format: 'date-time' }),
  targetTime: Type.String({ format: 'date-time' }),
  price: Type.String({ description: 'Mid price at asOf, token1 per token0 in whole units' }),
  forecast: Type.Object({ price: Type.String(), interval80: Interval, interval95: Interval }),
  model: Type.Object({
    name: Type.String(),
    description: Type.String(),
    trainedAt: Type.String({ format: 'date-time' }),
    historyMinutes: Type.Integer(),
  }),
  selection: Type.Object({
    reason: Type.String({ description: 'beats_naive | none_beats_naive | insufficient_history' }),
    candidates: Type.Array(
      Type.Object({
        model: Type.String(),
        forecasts: Type.Integer(),
        theilU: Rate,
        dieboldMariano: Type.Number(),
      }),
    ),
  }),
  backtest: Type.Union([
    Type.Object({
      forecasts: Type.Integer(),
      mae: Type.String(),
      theilU: Rate,
      directionalAccuracy: Type.Union([
        Type.Object({
          value: Type.Number(),
          ci95: Type.Array(Type.Number(), { minItems: 2, maxItems: 2 }),
          calls: Type.Integer(),
        }),
        Type.Null(),
      ]),
      coverage80: Rate,
      coverage95: Rate,
    }),
    Type.Null(),
  ]),
})

/** `GET /v1/intel/predictions/:pool`: the worker's latest forecast, read from memory. */
export function predictRoutes(worker: PredictWorker): DexPlugin {
  return async (app, { registry }) => {
    app.get(
      '/predictions/:pool',
      {
        schema: {
          summary:
            "Point forecast and 80%/95% intervals of a pool's mid price, with the model's walk-forward record",
          tags: ['intel'],
          params: Type.Object({ pool: AddressSchema }),
          querystring: Type.Object(
            {
              horizon: Type.Union(
                HORIZON_NAMES.map((h) => Type.Literal(h)),
                { default: '1m' },
              ),
            },
            { additionalProperties: false },
          ),
          response: { 200: PredictionSchema },
        },
      },
      async (request) => {
        const pool = request.params.pool.toLowerCase()
        if (registry.pool(pool) === undefined) {
          throw problems.notFound(`no indexed pool at ${request.params.pool}`, 'unknown_pool')
        }
        const view = worker.view(pool, request.query.horizon as Horizon)
        if (view === undefined) {
          throw problems.unavailable(
            'no forecast yet: the pool has no swaps indexed, or the first training has not finished',
            'prediction_not_ready',
          )
        }
        return view
      },
    )
  }
}
