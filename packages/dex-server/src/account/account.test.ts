import { randomUUID } from 'node:crypto'
import { AuditLog } from '@platform/service-kit/audit'
import { createCache } from '@platform/service-kit/cache'
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import { createApp } from '@platform/service-kit/http'
import { createRateLimitStore } from '@platform/service-kit/ratelimit'
import { createSessionStore } from '@platform/service-kit/sessions'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authRoutes } from '../auth/routes.js'
import { migrateDexSchema } from '../main.js'
import type { PoolState } from '../router/graph.js'
import { type AccountDeps, accountRoutes } from './routes.js'

const DOMAIN = 'dex.test'
const A = '0x1111111111111111111111111111111111111111'
const B = '0x2222222222222222222222222222222222222222'
const C = '0x3333333333333333333333333333333333333333'
// 1 A = 2 B (A has 18 decimals, B 6), and C = 0.5 A.
const pools: PoolState[] = [
  {
    address: '0x00000000000000000000000000000000000000a1',
    token0: A,
    token1: B,
    reserve0: 1000n * 10n ** 18n,
    reserve1: 2000n * 10n ** 6n,
  },
  {
    address: '0x00000000000000000000000000000000000000a2',
    token0: A,
    token1: C,
    reserve0: 500n * 10n ** 18n,
    reserve1: 1000n * 10n ** 18n,
  },
]
const tokens = [
  { address: A, symbol: 'AAA', decimals: 18 },
  { address: B, symbol: 'BBB', decimals: 6 },
  { address: C, symbol: 'CCC', decimals: 18 },
] as const

describe('signed-in account: watchlist, price alerts, GDPR export and erasure', () => {
  const prefix = `test:dex-account:${randomUUID().slice(0, 8)}:`
  const cache = createCache({ redisUrl: process.env.REDIS_URL, keyPrefix: prefix })
  let database: Database
  let app: Awaited<ReturnType<typeof createApp>>

  beforeAll(async () => {
    database = await createTestDatabase('dex_account')
    await migrateDexSchema(database)
    const deps: AccountDeps = {
      config: { NODE_ENV: 'test', SIWE_DOMAINS: [DOMAIN] },
      cache,
      audit: new AuditLog(database),
      chain: {
        chainId: 31337,
        rpc: { request: async () => Promise.reject(new Error('no chain in this test')) },
      },
      sessionStore: createSessionStore({ redisUrl: process.env.REDIS_URL, keyPrefix: `${prefix}session:` }),
      rateLimitStore: createRateLimitStore({
        redisUrl: process.env.REDIS_URL,
        keyPrefix: `${prefix}ratelimit:`,
      }),
      db: database,
      registry: { version: 1, pools: () => pools, tokens: () => tokens },
      alertIntervalMs: 0,
    }
    app = await createApp({ service: 'dex-account-test', openapi: { title: 'test' } })
    await app.register(async (scope) => authRoutes(scope as any, deps))
    await app.register(async (scope) => accountRoutes(scope as any, deps))
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
    await cache.close()
  })

  async function signIn(): Promise<{ authorization: string }> {
    const wallet = privateKeyToAccount(generatePrivateKey())
    const { nonce } = (await app.inject({ method: 'GET', url: '/v1/auth/nonce' })).json()
    const message = createSiweMessage({
      address: wallet.address,
      chainId: 31337,
      domain: DOMAIN,
      uri: `https://${DOMAIN}/`,
      version: '1',
      nonce,
    })
    const res = await app.inject({
      method: 'POST',
      url: '/v1/auth/verify',
      payload: { message, signature: await wallet.signMessage({ message }) },
    })
    expect(res.statusCode).toBe(200)
    return { authorization: `Bearer ${res.json().token}` }
  }

  it('documents the auth and account routes in the OpenAPI document', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json' })
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining([
        '/v1/auth/nonce',
        '/v1/auth/verify',
        '/v1/account/watchlist',
        '/v1/account/alerts',
      ]),
    )
  })

  it('refuses every account route without a session', async () => {
    for (const [method, url] of [
      ['GET', '/v1/account/watchlist'],
      ['GET', '/v1/account/alerts'],
      ['GET', '/v1/account/export'],
      ['DELETE', '/v1/account'],
    ] as const) {
      const res = await app.inject({ method, url })
      expect(res.statusCode).toBe(401)
      expect(res.headers['content-type']).toContain('application/problem+json')
    }
  })

  it('keeps a watchlist per wallet', async () => {
    const headers = await signIn()
    expect((await app.inject({ method: 'PUT', url: `/v1/account/watchlist/${A}`, headers })).statusCode).toBe(
      204,
    )
    expect((await app.inject({ method: 'PUT', url: `/v1/account/watchlist/${A}`, headers })).statusCode).toBe(
      204,
    )
    expect((await app.inject({ method: 'PUT', url: `/v1/account/watchlist/${C}`, headers })).statusCode).toBe(
      204,
    )
    const unknown = await app.inject({
      method: 'PUT',
      url: '/v1/account/watchlist/0x9999999999999999999999999999999999999999',
      headers,
    })
    expect(unknown.statusCode).toBe(404)
    expect(unknown.json().code).toBe('unknown_token')
    const bad = await app.inject({ method: 'PUT', url: '/v1/account/watchlist/0x12', headers })
    expect(bad.json().code).toBe('invalid_address')
    const list = (await app.inject({ method: 'GET', url: '/v1/account/watchlist', headers })).json()
    expect(list.tokens.map((t: any) => t.symbol)).toEqual(['AAA', 'CCC'])
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/account/watchlist/${A}`, headers })).statusCode,
    ).toBe(204)
    const other = await signIn()
    expect(
      (await app.inject({ method: 'GET', url: '/v1/account/watchlist', headers: other })).json().tokens,
    ).toEqual([])
  })

  it('triggers price alerts against the pools, once, and only the owner sees or deletes them', async () => {
    const headers = await signIn()
    const create = (body: Record<string, string>) =>
      app.inject({ method: 'POST', url: '/v1/account/alerts', headers, payload: body })
    const above = await create({ baseToken: A, quoteToken: B, direction: 'above', price: '1.5' })
    expect(above.statusCode).toBe(201)
    expect(above.json().currentPrice).toBe('2')
    const below = await create({ baseToken: C, quoteToken: A, direction: 'below', price: '0.25' })
    expect(below.json().currentPrice).toBe('0.5')
    expect((await create({ baseToken: A, quoteToken: A, direction: 'above', price: '1' })).json().code).toBe(
      'same_token',
    )
    expect(
      (await create({ baseToken: A, quoteToken: B, direction: 'above', price: '0.000' })).json().code,
    ).toBe('price_zero')
    expect((await create({ baseToken: A, quoteToken: B, direction: 'above', price: '-1' })).statusCode).toBe(
      400,
    )

    const { alerts } = (await app.inject({ method: 'GET', url: '/v1/account/alerts', headers })).json()
    const byId = new Map(alerts.map((a: any) => [a.id, a]))
    expect((byId.get(above.json().id) as any).triggeredPrice).toBe('2')
    expect((byId.get(below.json().id) as any).triggeredAt).toBeNull()

    const other = await signIn()
    expect(
      (await app.inject({ method: 'GET', url: '/v1/account/alerts', headers: other })).json().alerts,
    ).toEqual([])
    const steal = await app.inject({
      method: 'DELETE',
      url: `/v1/account/alerts/${below.json().id}`,
      headers: other,
    })
    expect(steal.statusCode).toBe(404)
    expect(
      (await app.inject({ method: 'DELETE', url: `/v1/account/alerts/${below.json().id}`, headers }))
        .statusCode,
    ).toBe(204)
  })

  it('exports everything it holds on a wallet, then erases it and ends its sessions', async () => {
    const headers = await signIn()
    await app.inject({ method: 'PUT', url: `/v1/account/watchlist/${B}`, headers })
    await app.inject({
      method: 'POST',
      url: '/v1/account/alerts',
      headers,
      payload: { baseToken: A, quoteToken: C, direction: 'above', price: '5' },
    })
    const exported = (await app.inject({ method: 'GET', url: '/v1/account/export', headers })).json()
    expect(exported.sections['dex.watchlist'].map((w: any) => w.token)).toEqual([B])
    expect(exported.sections['dex.price_alerts']).toHaveLength(1)
    expect(exported.sections['dex.sessions']).toHaveLength(1)
    const erased = await app.inject({ method: 'DELETE', url: '/v1/account', headers })
    expect(erased.statusCode).toBe(200)
    expect(erased.json().erased['dex.account'].erased).toBe(2)
    expect(erased.json().erased['dex.sessions'].erased).toBe(1)
    expect((await app.inject({ method: 'GET', url: '/v1/account/watchlist', headers })).statusCode).toBe(401)
    const again = await signIn()
    const after = (await app.inject({ method: 'GET', url: '/v1/account/export', headers: again })).json()
    expect(after.sections['dex.watchlist']).toEqual([])
  })
})
