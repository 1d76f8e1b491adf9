import { once } from 'node:events'
import type { AddressInfo } from 'node:net'
import { createServer } from 'node:net'
import type { PGlite } from '@electric-sql/pglite'
import { createPglite } from '@platform/service-kit/db'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { dropSchema, uniqueSchema, until } from '../indexer/test-support.js'
import { type DexServer, startDexServer } from '../main.js'
import { predictService } from './predict/service.js'
import { riskRuntime } from './risk/runtime.js'

/**
 * The production split on one machine: an intelligence process running risk and predict, and a
 * gateway with DEX_SERVICES=none that sends those two there (and chain to a port nothing listens
 * on). Clients talk to the gateway only; its answers must be the upstream's.
 */
let upstream: DexServer
let gateway: DexServer
let pglite: PGlite | undefined
const schemas = [uniqueSchema('intel_upstream'), uniqueSchema('intel_gateway')]

const env = (extra: Record<string, string>) => ({
  ...process.env,
  PORT: '0',
  RPC_PORT: '0',
  LOG_LEVEL: 'fatal',
  SIM_ENABLED: 'false',
  CHAIN_BLOCK_TIME_MS: '0',
  ...extra,
})

async function closedPort(): Promise<number> {
  const server = createServer()
  server.listen(0, '127.0.0.1')
  await once(server, 'listening')
  const { port } = server.address() as AddressInfo
  await new Promise((resolve) => server.close(resolve))
  return port
}

interface Answer {
  status: number
  type: string | null
  language: string | null
  body: unknown
}

async function call(base: string, path: string, init: RequestInit = {}): Promise<Answer> {
  const res = await fetch(`${base}${path}`, init)
  const text = await res.text()
  return {
    status: res.status,
    type: res.headers.get('content-type'),
    language: res.headers.get('content-language'),
    body: text.length > 0 ? JSON.parse(text) : null,
  }
}

/** The same request, with the same request id, to the upstream directly and through the gateway. */
async function both(path: string, init: RequestInit & { headers?: Record<string, string> } = {}) {
  const withId = (id: string) => ({ ...init, headers: { ...init.headers, 'x-request-id': id } })
  const direct = await call(upstream.url, path, withId('split-test-1'))
  const proxied = await call(gateway.url, path, withId('split-test-1'))
  return { direct, proxied }
}

beforeAll(async () => {
  // Embedded mode: one PGlite for both processes (a schema each), as `npm start` shares one.
  if (!process.env.DATABASE_URL) pglite = await createPglite()
  const database = pglite ? { pglite } : {}
  upstream = await startDexServer({
    schema: schemas[0] as string,
    ...database,
    env: env({ DEX_SERVICES: 'risk,predict', PREDICT_REFRESH_MS: '500' }),
  })
  gateway = await startDexServer({
    schema: schemas[1] as string,
    ...database,
    env: env({
      DEX_SERVICES: 'none',
      DEX_INTEL_UPSTREAMS: `risk=${upstream.url},predict=${upstream.url}/,chain=http://127.0.0.1:${await closedPort()}`,
    }),
  })
}, 120_000)

afterAll(async () => {
  await gateway?.close()
  await upstream?.close()
  for (const schema of schemas) if (!pglite) await dropSchema(schema)
  await pglite?.close()
})

describe('intel split: a gateway with DEX_SERVICES=none and upstreams', () => {
  it('answers risk routes as the risk process does, validation problems and localized titles included', async () => {
    const address = '0x00000000000000000000000000000000000000a1'
    // 503 risk_not_ready until the worker's first pass, then the score: wait for it directly.
    await until(
      async () => (await call(upstream.url, `/v1/intel/risk/${address}`)).status === 200 || undefined,
      30_000,
      'the risk worker to answer',
    )
    const ok = await both(`/v1/intel/risk/${address}`)
    expect(ok.direct.status).toBe(200)
    expect(ok.proxied).toEqual(ok.direct)

    const invalid = await both('/v1/intel/risk/not-an-address', { headers: { 'accept-language': 'ja' } })
    expect(invalid.direct.status).toBe(400)
    expect(invalid.direct.type).toMatch(/^application\/problem\+json/)
    expect(invalid.direct.body).toMatchObject({ code: 'validation_failed', requestId: 'split-test-1' })
    expect(invalid.direct.language).toBe('ja')
    expect(invalid.proxied).toEqual(invalid.direct)

    const trade = (body: string) =>
      both('/v1/intel/risk/trade', { method: 'POST', headers: { 'content-type': 'application/json' }, body })
    const token = '0x00000000000000000000000000000000000000b2'
    const same = await trade(
      JSON.stringify({ from: address, tokenIn: token, tokenOut: token, amountIn: '1' }),
    )
    expect(same.direct.body).toMatchObject({ status: 400, code: 'same_token' })
    expect(same.proxied).toEqual(same.direct)
    const malformed = await trade('{"from": ')
    expect(malformed.direct.body).toMatchObject({ status: 400, code: 'malformed_json' })
    expect(malformed.proxied).toEqual(malformed.direct)
    const unknownField = await trade(JSON.stringify({ from: address, surprise: true }))
    expect(unknownField.direct.status).toBe(400)
    expect(unknownField.proxied).toEqual(unknownField.direct)
  })

  it('answers predict routes as the predict process does, query string included', async () => {
    const pools = (await call(upstream.url, '/v1/pools')).body as { pools: Array<{ address: string }> }
    const pool = pools.pools[0]?.address as string
    for (const path of [
      `/v1/intel/predictions/${pool}?horizon=1h`,
      `/v1/intel/predictions/${pool}?horizon=1y`,
      `/v1/intel/predictions/${pool}?horizon=1m&extra=1`,
      '/v1/intel/predictions/0x00000000000000000000000000000000000000c3',
    ]) {
      const { direct, proxied } = await both(path)
      expect(direct.type).toMatch(/^application\/(problem\+)?json/)
      expect(proxied, path).toEqual(direct)
    }
    expect((await both(`/v1/intel/predictions/${pool}?horizon=1y`)).direct.status).toBe(400)
  })

  it('answers 502 problem+json for a service whose process is down, and stays ready with it degraded', async () => {
    const mev = await call(gateway.url, '/v1/intel/mev')
    expect(mev.status).toBe(502)
    expect(mev.type).toMatch(/^application\/problem\+json/)
    expect(mev.body).toMatchObject({ code: 'intel_upstream_unavailable', service: 'chain' })

    const ready = await until(
      async () => {
        const answer = await call(gateway.url, '/health/ready')
        const checks = (answer.body as { checks?: Record<string, { status: string }> }).checks
        return checks?.['intel.risk']?.status === 'up' ? answer : undefined
      },
      30_000,
      'the gateway to see the risk upstream ready',
    )
    expect(ready.status).toBe(200)
    expect(ready.body).toMatchObject({
      status: 'ok',
      degraded: ['intel.chain'],
      checks: { 'intel.predict': { status: 'up' }, 'intel.chain': { status: 'down' } },
    })
    // The upstream's own health, through the gateway.
    expect(await call(gateway.url, '/v1/intel/risk/health')).toMatchObject({
      status: 200,
      body: { status: 'ok', service: 'risk' },
    })
    // Neither local nor remote: not served at all.
    expect((await call(gateway.url, '/v1/intel/pipeline')).status).toBe(404)
  })

  it('runs no worker of the remote services, and only the upstream has their metrics', async () => {
    await until(
      async () => predictService.worker(upstream.deps).lastPassAt ?? undefined,
      30_000,
      'a predict pass upstream',
    )
    expect(riskRuntime(upstream.deps).running).toBe(true)
    expect(riskRuntime(gateway.deps).running).toBe(false)
    expect(predictService.worker(gateway.deps).lastPassAt ?? null).toBeNull()
    const metrics = async (server: DexServer) => (await fetch(`${server.url}/metrics`)).text()
    expect(await metrics(upstream)).toMatch(/^dex_intel_predict_/m)
    expect(await metrics(gateway)).not.toMatch(/^dex_intel_predict_/m)
  })

  it('lists the remote services routes in its OpenAPI document as the upstream does', async () => {
    const paths = async (server: DexServer) =>
      ((await (await fetch(`${server.url}/openapi.json`)).json()) as { paths: Record<string, unknown> }).paths
    const [mine, theirs] = [await paths(gateway), await paths(upstream)]
    for (const path of ['/v1/intel/risk/{address}', '/v1/intel/risk/trade', '/v1/intel/predictions/{pool}']) {
      expect(mine[path], path).toEqual(theirs[path])
    }
    expect(mine['/v1/intel/mev']).toBeDefined()
    expect(mine['/v1/intel/pipeline']).toBeUndefined()
  })
})
