import type { Database } from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabases } from '../indexer/test-support.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { intelTestApp, intelTestDeps } from './test-app.js'

const POOL = '0x00000000000000000000000000000000000000aa'
const TOKEN0 = '0x00000000000000000000000000000000000000c1'
const TOKEN1 = '0x00000000000000000000000000000000000000c2'
const LONELY = '0x00000000000000000000000000000000000000c3'
const ADDRESS = '0x00000000000000000000000000000000000000d1'
/** Beyond what a PostgreSQL bigint holds: must be refused before it reaches a query. */
const HUGE = '1e19'

interface BadInput {
  /** The route as Fastify registers it: method and URL pattern. */
  route: string
  name: string
  method?: 'GET' | 'POST'
  url: string
  payload?: unknown
  /** Raw body with this content type, instead of JSON. */
  raw?: { body: string; type: string }
  status: number
  code: string
  /** For validation errors: a field path the problem must name. */
  path?: string
}

const tooLong = (n: number) => 'x'.repeat(n)
const trade = { from: ADDRESS, tokenIn: TOKEN0, tokenOut: TOKEN1, amountIn: '1000' }

/** Every intelligence route, with the bad inputs it must refuse. */
const BAD_INPUTS: BadInput[] = [
  // risk
  ...['nope', '0x123', `0x${'g'.repeat(40)}`, `0x${'a'.repeat(41)}`].map((a) => ({
    name: `risk of ${a}`,
    route: 'GET /v1/intel/risk/:address',
    url: `/v1/intel/risk/${a}`,
    status: 400,
    code: 'validation_failed',
    path: '/address',
  })),
  ...(
    [
      [{}, '/from'],
      [{ ...trade, from: '0x12' }, '/from'],
      [{ ...trade, tokenIn: 'WETH' }, '/tokenIn'],
      [{ ...trade, tokenOut: null }, '/tokenOut'],
      [{ ...trade, amountIn: '0' }, '/amountIn'],
      [{ ...trade, amountIn: '-5' }, '/amountIn'],
      [{ ...trade, amountIn: '1.5' }, '/amountIn'],
      [{ ...trade, amountIn: { value: 1000 } }, '/amountIn'],
      [{ ...trade, amountIn: `1${'0'.repeat(78)}` }, '/amountIn'],
      [{ ...trade, extra: true }, ''],
      [[trade], ''],
    ] as const
  ).map(([payload, path]) => ({
    name: `trade risk ${JSON.stringify(payload).slice(0, 60)}`,
    method: 'POST' as const,
    route: 'POST /v1/intel/risk/trade',
    url: '/v1/intel/risk/trade',
    payload,
    status: 400,
    code: 'validation_failed',
    ...(path ? { path } : {}),
  })),
  {
    name: 'trade risk, same token both sides',
    method: 'POST',
    route: 'POST /v1/intel/risk/trade',
    url: '/v1/intel/risk/trade',
    payload: { ...trade, tokenOut: TOKEN0.toUpperCase().replace('0X', '0x') },
    status: 400,
    code: 'same_token',
    path: '/tokenOut',
  },
  {
    name: 'trade risk, no pool for the pair',
    method: 'POST',
    route: 'POST /v1/intel/risk/trade',
    url: '/v1/intel/risk/trade',
    payload: { ...trade, tokenOut: LONELY },
    status: 422,
    code: 'no_pool',
  },
  {
    name: 'trade risk, malformed JSON',
    method: 'POST',
    route: 'POST /v1/intel/risk/trade',
    url: '/v1/intel/risk/trade',
    raw: { body: '{"from":', type: 'application/json' },
    status: 400,
    code: 'malformed_json',
  },
  // chain
  {
    name: 'contract analysis of a bad address',
    route: 'GET /v1/intel/contracts/:address',
    url: '/v1/intel/contracts/0xZZ',
    status: 400,
    code: 'validation_failed',
    path: '/address',
  },
  ...(
    [
      ['', '/fromBlock'],
      ['?fromBlock=1', '/toBlock'],
      ['?fromBlock=-1&toBlock=5', '/fromBlock'],
      ['?fromBlock=abc&toBlock=5', '/fromBlock'],
      ['?fromBlock=1.5&toBlock=5', '/fromBlock'],
      [`?fromBlock=${HUGE}&toBlock=${HUGE}`, '/fromBlock'],
      ['?fromBlock=1&toBlock=5&limit=0', '/limit'],
      ['?fromBlock=1&toBlock=5&limit=501', '/limit'],
      ['?fromBlock=1&toBlock=5&cursor=5', '/cursor'],
      ['?fromBlock=1&toBlock=5&cursor=5-x', '/cursor'],
      ['?fromBlock=1&toBlock=5&after=3', ''],
    ] as const
  ).map(([query, path]) => ({
    name: `mev ${query || 'without a range'}`,
    route: 'GET /v1/intel/mev',
    url: `/v1/intel/mev${query}`,
    status: 400,
    code: 'validation_failed',
    ...(path ? { path } : {}),
  })),
  {
    name: 'mev, fromBlock after toBlock',
    route: 'GET /v1/intel/mev',
    url: '/v1/intel/mev?fromBlock=10&toBlock=9',
    status: 400,
    code: 'invalid_range',
    path: '/toBlock',
  },
  {
    name: 'mev, a range wider than the bound',
    route: 'GET /v1/intel/mev',
    url: '/v1/intel/mev?fromBlock=0&toBlock=5000',
    status: 400,
    code: 'range_too_large',
    path: '/toBlock',
  },
  {
    name: 'cluster of a bad address',
    route: 'GET /v1/intel/clusters/:address',
    url: '/v1/intel/clusters/0x1234',
    status: 400,
    code: 'validation_failed',
    path: '/address',
  },
  ...(
    [
      ['0xabc', '', '/address'],
      [ADDRESS, '?depth=0', '/depth'],
      [ADDRESS, '?depth=4', '/depth'],
      [ADDRESS, '?depth=two', '/depth'],
      [ADDRESS, '?depth=1&all=true', ''],
      [ADDRESS, '?limit=0', '/limit'],
      [ADDRESS, '?limit=201', '/limit'],
      [ADDRESS, '?edgeLimit=501', '/edgeLimit'],
    ] as const
  ).map(([address, query, path]) => ({
    name: `graph ${address.slice(0, 8)}${query}`,
    route: 'GET /v1/intel/graph/:address',
    url: `/v1/intel/graph/${address}${query}`,
    status: 400,
    code: 'validation_failed',
    ...(path ? { path } : {}),
  })),
  // pipeline
  {
    route: 'GET /v1/intel/pipeline',
    name: 'pipeline status with a query it does not take',
    url: '/v1/intel/pipeline?verbose=1',
    status: 400,
    code: 'validation_failed',
  },
  ...(
    [
      ['?limit=0', '/limit'],
      ['?limit=201', '/limit'],
      ['?after=-1', '/after'],
      [`?after=${HUGE}`, '/after'],
    ] as const
  ).map(([query, path]) => ({
    name: `dead letters ${query}`,
    route: 'GET /v1/intel/pipeline/dlq',
    url: `/v1/intel/pipeline/dlq${query}`,
    status: 400,
    code: 'validation_failed',
    path,
  })),
  ...(
    [
      ['0', '/id'],
      ['abc', '/id'],
      [HUGE, '/id'],
    ] as const
  ).map(([id, path]) => ({
    name: `replay of dead letter ${id}`,
    method: 'POST' as const,
    route: 'POST /v1/intel/pipeline/dlq/:id/replay',
    url: `/v1/intel/pipeline/dlq/${id}/replay`,
    status: 400,
    code: 'validation_failed',
    path,
  })),
  {
    name: 'replay of a dead letter that does not exist',
    method: 'POST',
    route: 'POST /v1/intel/pipeline/dlq/:id/replay',
    url: '/v1/intel/pipeline/dlq/99999/replay',
    status: 404,
    code: 'unknown_dead_letter',
  },
  ...(
    [
      ['0x1', '', '/address'],
      [POOL, '?hours=0', '/hours'],
      [POOL, '?hours=100000', '/hours'],
      [POOL, '?hours=1&from=0', ''],
    ] as const
  ).map(([address, query, path]) => ({
    name: `pool aggregates ${address.slice(0, 6)}${query}`,
    route: 'GET /v1/intel/pipeline/pools/:address',
    url: `/v1/intel/pipeline/pools/${address}${query}`,
    status: 400,
    code: 'validation_failed',
    ...(path ? { path } : {}),
  })),
  {
    name: 'pool aggregates of a pool the pipeline never saw',
    route: 'GET /v1/intel/pipeline/pools/:address',
    url: `/v1/intel/pipeline/pools/${POOL}`,
    status: 404,
    code: 'unknown_pool',
  },
  ...(
    [
      ['0x1', '', '/address'],
      [ADDRESS, '?limit=0', '/limit'],
      [ADDRESS, '?limit=201', '/limit'],
      [ADDRESS, '?beforeBlock=-3', '/beforeBlock'],
      [ADDRESS, `?beforeBlock=${HUGE}`, '/beforeBlock'],
      [ADDRESS, '?before=12', '/before'],
      [ADDRESS, '?before=12-1-1', '/before'],
      [ADDRESS, '?counterparties=201', '/counterparties'],
    ] as const
  ).map(([address, query, path]) => ({
    name: `account aggregates ${address.slice(0, 6)}${query}`,
    route: 'GET /v1/intel/pipeline/accounts/:address',
    url: `/v1/intel/pipeline/accounts/${address}${query}`,
    status: 400,
    code: 'validation_failed',
    path,
  })),
  // predict
  ...(
    [
      ['pool', '', '/pool'],
      [POOL, '?horizon=2m', '/horizon'],
      [POOL, '?horizon=', '/horizon'],
      [POOL, '?horizon=1m&model=arima', ''],
    ] as const
  ).map(([pool, query, path]) => ({
    name: `prediction ${pool.slice(0, 6)}${query}`,
    route: 'GET /v1/intel/predictions/:pool',
    url: `/v1/intel/predictions/${pool}${query}`,
    status: 400,
    code: 'validation_failed',
    ...(path ? { path } : {}),
  })),
  {
    name: 'prediction of a pool nobody indexed',
    route: 'GET /v1/intel/predictions/:pool',
    url: `/v1/intel/predictions/${ADDRESS}`,
    status: 404,
    code: 'unknown_pool',
  },
  // language
  ...(
    [
      [{}, '/text'],
      [{ text: '' }, '/text'],
      [{ text: ' \n\t ' }, '/text'],
      [{ text: { value: 'hola' } }, '/text'],
      [{ text: tooLong(10_001) }, '/text'],
      [{ text: 'hola', lang: 'es' }, ''],
      ['hola', ''],
    ] as const
  ).map(([payload, path]) => ({
    name: `detect ${JSON.stringify(payload).slice(0, 30)}`,
    method: 'POST' as const,
    route: 'POST /v1/intel/language/detect',
    url: '/v1/intel/language/detect',
    payload,
    status: 400,
    code: 'validation_failed',
    ...(path ? { path } : {}),
  })),
  {
    name: 'detect, malformed JSON',
    method: 'POST',
    route: 'POST /v1/intel/language/detect',
    url: '/v1/intel/language/detect',
    raw: { body: '{"text": "hola"', type: 'application/json' },
    status: 400,
    code: 'malformed_json',
  },
  ...(
    [
      [{ text: 'Swap' }, '/target'],
      [{ text: 'Swap', target: 'JA' }, '/target'],
      [{ text: 'Swap', target: 'jpn' }, '/target'],
      [{ text: 'Swap', target: 'ja', source: 'english' }, '/source'],
      [{ text: '', target: 'ja' }, '/text'],
      [{ text: tooLong(5001), target: 'ja' }, '/text'],
      [{ text: 'Swap', target: 'ja', provider: 'deepl' }, ''],
    ] as const
  ).map(([payload, path]) => ({
    name: `translate ${JSON.stringify(payload).slice(0, 50)}`,
    method: 'POST' as const,
    route: 'POST /v1/intel/translate',
    url: '/v1/intel/translate',
    payload,
    status: 400,
    code: 'validation_failed',
    ...(path ? { path } : {}),
  })),
  {
    name: 'translate into the language of the text',
    method: 'POST',
    route: 'POST /v1/intel/translate',
    url: '/v1/intel/translate',
    payload: { text: 'Swap', source: 'en', target: 'en' },
    status: 422,
    code: 'same_language',
  },
]

describe('every intelligence route refuses bad input with problem+json, never a 5xx', () => {
  let app: App
  let close: () => Promise<void>
  const routes: string[] = []

  beforeAll(async () => {
    const dbs = await openTestDatabases('intel_bad', 1)
    close = dbs.close
    const registry = new PoolRegistry()
    registry.setPool({
      address: POOL,
      token0: TOKEN0,
      token1: TOKEN1,
      reserve0: 1n,
      reserve1: 1n,
      totalSupply: 1n,
      updatedBlock: 1,
    })
    const deps = intelTestDeps('intel-bad-input-test', dbs.databases[0] as Database, registry)
    app = await intelTestApp('intel-bad-input-test', deps, (route) => {
      if (!route.url.startsWith('/v1/intel/')) return
      for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`)
    })
  }, 60_000)

  afterAll(async () => {
    await app?.close()
    await close?.()
  })

  it.each(BAD_INPUTS.map((c) => [c.name, c] as const))('%s', async (_name, bad) => {
    const response = await app.inject({
      method: bad.method ?? 'GET',
      url: bad.url,
      ...(bad.raw
        ? { payload: bad.raw.body, headers: { 'content-type': bad.raw.type } }
        : bad.payload !== undefined
          ? { payload: JSON.stringify(bad.payload), headers: { 'content-type': 'application/json' } }
          : {}),
    })
    expect(response.statusCode, response.body).toBe(bad.status)
    expect(response.headers['content-type']).toContain('application/problem+json')
    const problem = response.json()
    expect(problem.code).toBe(bad.code)
    if (bad.path !== undefined) {
      expect(problem.errors?.map((e: { path: string }) => e.path)).toContain(bad.path)
    }
  })

  it('walks every intelligence route, and each has an OpenAPI schema', async () => {
    const walked = new Set(BAD_INPUTS.map((b) => b.route))
    const served = routes.filter((r) => !r.endsWith('/health'))
    expect(served.length).toBeGreaterThan(10)
    expect(served.filter((r) => !walked.has(r))).toEqual([])
    const document = app.swagger() as {
      paths: Record<string, Record<string, { responses?: Record<string, unknown>; summary?: string }>>
    }
    for (const route of served) {
      const [method, url] = route.split(' ') as [string, string]
      const operation = document.paths[url.replace(/:(\w+)/g, '{$1}')]?.[method.toLowerCase()]
      expect(operation?.summary, `${route} has a summary`).toBeTruthy()
      expect(operation?.responses?.['200'], `${route} documents its 200 answer`).toBeDefined()
    }
  })
})
