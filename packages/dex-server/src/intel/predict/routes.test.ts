import { type App, createApp } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import type { Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { DexDeps } from '../../app.js'
import { loadDexConfig } from '../../config.js'
import { openTestDatabases } from '../../indexer/test-support.js'
import { PoolRegistry } from '../../market/pool-registry.js'
import { mountIntelServices } from '../mount.js'
import { createPredictService } from './service.js'
import { syntheticSeries } from './test-series.js'

const POOL = '0x00000000000000000000000000000000000000aa' as Address
const QUIET_POOL = '0x00000000000000000000000000000000000000bb' as Address

/** Writes one swap per minute of a synthetic mean-reverting history, as the indexer would. */
async function seedSwaps(deps: DexDeps, minutes: number) {
  const series = syntheticSeries({ minutes, seed: 21, kind: 'mean-reverting', keep: 0.5 })
  const rows = Array.from(series.logPrice, (y, t) => ({
    block_number: t + 1,
    log_index: 0,
    pool: POOL,
    tx_hash: `0x${(t + 1).toString(16).padStart(64, '0')}`,
    block_time: new Date((series.start + t * 60 + 30) * 1000).toISOString(),
    sender: POOL,
    recipient: POOL,
    amount0_in: String(Math.floor(series.sell0[t] as number)),
    amount1_in: '0',
    amount0_out: String(Math.floor(series.buy0[t] as number)),
    amount1_out: '0',
    reserve0: '1000000000000000000000',
    reserve1: '2000000000000000000000000',
    price: Math.exp(y).toFixed(18),
  }))
  for (let i = 0; i < rows.length; i += 200) {
    await deps.db.kysely
      .insertInto('swaps')
      .values(rows.slice(i, i + 200))
      .execute()
  }
}

describe('prediction routes', () => {
  let app: App
  let deps: DexDeps
  let close: () => Promise<void>
  const service = createPredictService()

  beforeAll(async () => {
    const dbs = await openTestDatabases('predict', 1)
    close = dbs.close
    const registry = new PoolRegistry()
    for (const address of [POOL, QUIET_POOL]) {
      registry.setPool({
        address,
        token0: '0x00000000000000000000000000000000000000c1',
        token1: '0x00000000000000000000000000000000000000c2',
        reserve0: 1n,
        reserve1: 1n,
        totalSupply: 1n,
        updatedBlock: 1,
      })
    }
    deps = {
      config: loadDexConfig({}),
      logger: createLogger({ service: 'predict-test', level: 'silent' }),
      db: dbs.databases[0],
      registry,
    } as DexDeps
    await seedSwaps(deps, 900)
    app = await createApp({ service: 'predict-test', logger: deps.logger, openapi: { title: 'test' } })
    await app.register(async (scope) => mountIntelServices([service])(scope as unknown as App, deps))
    await service.worker(deps).pass()
  }, 120_000)

  afterAll(async () => {
    await app?.close()
    await close?.()
  })

  it('serves the trained forecast with intervals and the walk-forward record of the model it chose', async () => {
    const response = await app.inject(`/v1/intel/predictions/${POOL}?horizon=1m`)
    expect(response.statusCode).toBe(200)
    const body = response.json()
    expect(body).toMatchObject({ pool: POOL, horizon: '1m', selection: { reason: 'beats_naive' } })
    expect(body.model.name).not.toBe('naive')
    expect(Number(body.forecast.interval95.low)).toBeLessThan(Number(body.forecast.interval80.low))
    expect(Number(body.forecast.interval80.low)).toBeLessThan(Number(body.forecast.price))
    expect(Number(body.forecast.interval95.high)).toBeGreaterThan(Number(body.forecast.interval80.high))
    expect(body.backtest.theilU).toBeLessThan(1)
    expect(body.backtest.directionalAccuracy.ci95[0]).toBeGreaterThan(0.5)
    expect(new Date(body.targetTime).getTime() - new Date(body.asOf).getTime()).toBe(60_000)
  })

  it('serves naive and says why when the history is too short to validate a 1-hour model', async () => {
    const body = (await app.inject(`/v1/intel/predictions/${POOL}?horizon=1h`)).json()
    expect(body.model.name).toBe('naive')
    expect(body.selection.reason).toBe('insufficient_history')
    expect(body.forecast.price).toBe(body.price)
  })

  it('answers bad input with problem+json: malformed address, unknown horizon, unknown pool, no history', async () => {
    const malformed = await app.inject('/v1/intel/predictions/0x123?horizon=1m')
    expect(malformed.statusCode).toBe(400)
    expect(malformed.headers['content-type']).toContain('application/problem+json')
    expect(malformed.json()).toMatchObject({ code: 'validation_failed' })
    expect(malformed.json().errors[0].path).toBe('/pool')

    const horizon = await app.inject(`/v1/intel/predictions/${POOL}?horizon=2h`)
    expect(horizon.statusCode).toBe(400)
    expect(horizon.json().errors[0].path).toBe('/horizon')

    const extra = await app.inject(`/v1/intel/predictions/${POOL}?horizon=1m&model=gbm`)
    expect(extra.statusCode).toBe(400)

    const unknown = await app.inject(`/v1/intel/predictions/0x${'cd'.repeat(20)}`)
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('unknown_pool')

    const quiet = await app.inject(`/v1/intel/predictions/${QUIET_POOL}`)
    expect(quiet.statusCode).toBe(503)
    expect(quiet.json().code).toBe('prediction_not_ready')
  })

  it('reports training in metrics and answers its health', async () => {
    const metrics = (await app.inject('/metrics')).body
    expect(metrics).toMatch(/dex_intel_predict_trainings_total\{result="ok"[^}]*\} 3\n/)
    expect(metrics).toMatch(/dex_intel_predict_training_progress_ratio\{[^}]*\} 1\n/)
    expect(metrics).toMatch(/dex_intel_predict_pools_by_model\{horizon="1h",model="naive"[^}]*\} 1\n/)
    expect((await app.inject('/v1/intel/predict/health')).statusCode).toBe(200)
  })
})
