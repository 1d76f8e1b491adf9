import { randomUUID } from 'node:crypto'
import { type AuditEntry, AuditLog, type KitDatabase } from '@platform/service-kit/audit'
import { createCache } from '@platform/service-kit/cache'
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import { createApp } from '@platform/service-kit/http'
import { PrivacyRegistry, RetentionRunner } from '@platform/service-kit/privacy'
import { createRateLimitStore } from '@platform/service-kit/ratelimit'
import { createSessionStore } from '@platform/service-kit/sessions'
import type { Kysely } from 'kysely'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { authRoutes } from '../auth/routes.js'
import { migrateDexSchema } from '../main.js'
import { registerDexRetention } from './retention.js'
import { type AccountDeps, accountRoutes } from './routes.js'

const DOMAIN = 'dex.test'
const TOKEN = '0x1111111111111111111111111111111111111111'
const OTHER = '0x2222222222222222222222222222222222222222'

/** The kit's audit log, made to fail on one action: proves which writes share its transaction. */
class FailingAuditLog extends AuditLog {
  failOn: string | null = null
  override async record<DB extends KitDatabase>(entry: AuditEntry, executor?: Kysely<DB>) {
    if (entry.action === this.failOn) throw new Error(`audit of ${this.failOn} failed`)
    return super.record(entry, executor)
  }
}

describe('DEX audit entries and retention', () => {
  const prefix = `test:dex-audit:${randomUUID().slice(0, 8)}:`
  const cache = createCache({ redisUrl: process.env.REDIS_URL, keyPrefix: prefix })
  let database: Database
  let audit: FailingAuditLog
  let app: Awaited<ReturnType<typeof createApp>>

  beforeAll(async () => {
    database = await createTestDatabase('dex_audit')
    await migrateDexSchema(database)
    audit = new FailingAuditLog(database)
    const deps: AccountDeps = {
      config: { NODE_ENV: 'test', SIWE_DOMAINS: [DOMAIN] },
      cache,
      audit,
      chain: { chainId: 31337, rpc: { request: async () => Promise.reject(new Error('no chain')) } },
      sessionStore: createSessionStore({ redisUrl: process.env.REDIS_URL, keyPrefix: `${prefix}session:` }),
      rateLimitStore: createRateLimitStore({ redisUrl: process.env.REDIS_URL, keyPrefix: `${prefix}rl:` }),
      db: database,
      registry: {
        version: 1,
        pools: () => [
          {
            address: '0x00000000000000000000000000000000000000a1',
            token0: TOKEN,
            token1: OTHER,
            reserve0: 10n ** 21n,
            reserve1: 10n ** 21n,
          },
        ],
        tokens: () => [
          { address: TOKEN, symbol: 'AAA', decimals: 18 },
          { address: OTHER, symbol: 'BBB', decimals: 18 },
        ],
      },
      alertIntervalMs: 0,
    }
    app = await createApp({ service: 'dex-audit-test', openapi: { title: 'test' } })
    await app.register(async (scope) => authRoutes(scope as any, deps))
    await app.register(async (scope) => accountRoutes(scope as any, deps))
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
    await cache.close()
  })

  async function signIn() {
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
    return { headers: { authorization: `Bearer ${res.json().token}` }, wallet: wallet.address.toLowerCase() }
  }
  const entries = (wallet: string) => audit.query({ actorId: wallet })

  it('records a sign-in, a logout, an export and an erasure, each naming the wallet and the request', async () => {
    const { headers, wallet } = await signIn()
    await app.inject({ method: 'PUT', url: `/v1/account/watchlist/${TOKEN}`, headers })
    expect((await app.inject({ method: 'GET', url: '/v1/account/export', headers })).statusCode).toBe(200)
    expect((await app.inject({ method: 'DELETE', url: '/v1/account', headers })).statusCode).toBe(200)
    const second = await signIn()
    expect(
      (await app.inject({ method: 'POST', url: '/v1/auth/logout', headers: second.headers })).statusCode,
    ).toBe(204)

    const first = (await entries(wallet)).reverse()
    expect(first.map((e) => e.action)).toEqual([
      'dex.auth.sign_in',
      'dex.account.exported',
      'dex.account.erased',
    ])
    expect(first[0]).toMatchObject({ target: { type: 'session' }, ip: '127.0.0.1', outcome: 'success' })
    expect(first[0]?.requestId).toBeTruthy()
    // Only a prefix of the bearer token is kept.
    expect(first[0]?.target?.id).toHaveLength(8)
    expect(first[2]?.metadata).toEqual({ erased: { 'dex.account': 1, 'dex.sessions': 1 } })
    const logout = (await entries(second.wallet)).map((e) => [e.action, e.metadata])
    expect(logout).toEqual([
      ['dex.session.revoked', { reason: 'logout' }],
      ['dex.auth.sign_in', expect.any(Object)],
    ])
  })

  it('writes the erasure entry in the erasure transaction: no entry, no erasure', async () => {
    const { headers, wallet } = await signIn()
    await app.inject({ method: 'PUT', url: `/v1/account/watchlist/${TOKEN}`, headers })
    audit.failOn = 'dex.account.erased'
    try {
      expect((await app.inject({ method: 'DELETE', url: '/v1/account', headers })).statusCode).toBe(500)
    } finally {
      audit.failOn = null
    }
    const kept = await database.kysely
      .selectFrom('account_watchlist')
      .selectAll()
      .where('address', '=', wallet)
      .execute()
    expect(kept).toHaveLength(1)
  })

  it('purges fired alerts and old audit entries on the documented periods, and audits each purge', async () => {
    const db: Kysely<any> = database.kysely
    const day = 86_400_000
    const now = Date.now()
    const alert = (id: string, triggeredDaysAgo: number | null) => ({
      id,
      address: '0x00000000000000000000000000000000000000aa',
      base_token: TOKEN,
      quote_token: OTHER,
      direction: 'above',
      price: '1',
      triggered_at: triggeredDaysAgo === null ? null : new Date(now - triggeredDaysAgo * day),
    })
    await db
      .insertInto('account_price_alerts')
      .values([alert(randomUUID(), 91), alert(randomUUID(), 89), alert(randomUUID(), null)])
      .execute()
    const registry = registerDexRetention(new PrivacyRegistry(), {
      db,
      audit,
      periods: { AUDIT_RETENTION_DAYS: 365, ALERT_RETENTION_DAYS: 90, RETENTION_SWEEP_MS: 3_600_000 },
    })
    expect(registry.retentionPolicies.map((p) => p.name)).toEqual(['dex.price_alerts', 'dex.audit_log'])
    const auditedBefore = (await audit.query({ limit: 1000 })).length
    // A year and a day from now, every entry written so far is past its period.
    const runs = await new RetentionRunner({ registry, audit, now: () => now + 366 * day }).runDue()
    const byPolicy = Object.fromEntries(runs.map((r) => [r.policy, r]))
    // The alerts' purge runs first and is audited too.
    expect(byPolicy['dex.audit_log']?.deleted).toBe(auditedBefore + 1)
    const left = await db.selectFrom('account_price_alerts').select('triggered_at').execute()
    expect(left.map((a) => a.triggered_at)).toEqual([null])
    expect(byPolicy['dex.price_alerts']?.deleted).toBe(2)
    // The audit purge is itself on record (the alerts purge's entry, written before it, went with it).
    const purges = await audit.query({ action: 'privacy.retention.purged' })
    expect(purges.map((p) => p.metadata.policy)).toEqual(['dex.audit_log'])
    expect(await audit.query({ action: 'audit.retention_purge' })).toHaveLength(1)
  })
})
