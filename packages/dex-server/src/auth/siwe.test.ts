import { randomUUID } from 'node:crypto'
import { AuditLog } from '@platform/service-kit/audit'
import { createCache } from '@platform/service-kit/cache'
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import { createApp } from '@platform/service-kit/http'
import { createRateLimitStore } from '@platform/service-kit/ratelimit'
import { createSessionStore } from '@platform/service-kit/sessions'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { migrateDexSchema } from '../main.js'
import { authRoutes } from './routes.js'

const DOMAIN = 'dex.test'
const CHAIN_ID = 31337
const prefix = `test:dex-siwe:${randomUUID().slice(0, 8)}:`
/** The sessions' clock runs this far ahead of the real one (sessions and message expiry). */
let clockOffsetMs = 0

describe('Sign-In with Ethereum opens a kit session', () => {
  const cache = createCache({ redisUrl: process.env.REDIS_URL, keyPrefix: prefix })
  const app = createApp({ service: 'dex-siwe-test', openapi: { title: 'test' } })
  const wallet = privateKeyToAccount(generatePrivateKey())

  let database: Database

  beforeAll(async () => {
    database = await createTestDatabase('dex_siwe')
    await migrateDexSchema(database)
    const ready = await app
    await ready.register(async (scope) =>
      authRoutes(scope as any, {
        config: { NODE_ENV: 'test', SIWE_DOMAINS: [DOMAIN] },
        cache,
        audit: new AuditLog(database),
        chain: {
          chainId: CHAIN_ID,
          rpc: { request: async () => Promise.reject(new Error('no chain in this test')) },
        },
        sessionStore: createSessionStore({ redisUrl: process.env.REDIS_URL, keyPrefix: `${prefix}session:` }),
        rateLimitStore: createRateLimitStore({
          redisUrl: process.env.REDIS_URL,
          keyPrefix: `${prefix}ratelimit:`,
        }),
        nonceRateLimit: { limit: 40, windowMs: 60_000 },
        verifyRateLimit: { limit: 30, windowMs: 60_000 },
        now: () => Date.now() + clockOffsetMs,
      }),
    )
    await ready.ready()
  })
  afterAll(async () => {
    await (await app).close()
    await cache.close()
    await database?.close()
  })
  afterEach(() => {
    clockOffsetMs = 0
  })

  async function nonce(): Promise<string> {
    const res = await (await app).inject({ method: 'GET', url: '/v1/auth/nonce' })
    expect(res.statusCode).toBe(200)
    expect(res.json().domain).toBe(DOMAIN)
    expect(res.json().chainId).toBe(CHAIN_ID)
    return res.json().nonce
  }

  function message(fields: Partial<Parameters<typeof createSiweMessage>[0]> & { nonce: string }) {
    return createSiweMessage({
      address: wallet.address,
      chainId: CHAIN_ID,
      domain: DOMAIN,
      uri: `https://${DOMAIN}/`,
      version: '1',
      issuedAt: new Date(),
      statement: 'Sign in to Soba DEX',
      ...fields,
    })
  }

  async function verify(text: string, signature?: `0x${string}`) {
    const res = await (await app).inject({
      method: 'POST',
      url: '/v1/auth/verify',
      payload: { message: text, signature: signature ?? (await wallet.signMessage({ message: text })) },
    })
    return { status: res.statusCode, body: res.json(), type: String(res.headers['content-type']) }
  }

  it('signs in with a locally signed message, and the session knows the wallet until logout', async () => {
    const signedIn = await verify(message({ nonce: await nonce() }))
    expect(signedIn.status).toBe(200)
    expect(signedIn.body.address).toBe(wallet.address)
    const headers = { authorization: `Bearer ${signedIn.body.token}` }
    const session = await (await app).inject({ method: 'GET', url: '/v1/auth/session', headers })
    expect(session.statusCode).toBe(200)
    expect(session.json().address).toBe(wallet.address)
    expect((await (await app).inject({ method: 'POST', url: '/v1/auth/logout', headers })).statusCode).toBe(
      204,
    )
    const after = await (await app).inject({ method: 'GET', url: '/v1/auth/session', headers })
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('unauthenticated')
  })

  it('refuses a replayed nonce: the same signed message works once', async () => {
    const text = message({ nonce: await nonce() })
    const signature = await wallet.signMessage({ message: text })
    expect((await verify(text, signature)).status).toBe(200)
    const replay = await verify(text, signature)
    expect(replay.status).toBe(409)
    expect(replay.body.code).toBe('siwe_nonce_replayed')
    expect(replay.type).toContain('application/problem+json')
  })

  it.each([
    ['another domain', { domain: 'evil.test' }, 422, 'siwe_domain_mismatch'],
    ['another chain', { chainId: 1 }, 422, 'siwe_chain_mismatch'],
    ['an expired message', { expirationTime: new Date(Date.now() - 60_000) }, 422, 'siwe_expired'],
    ['a message not valid yet', { notBefore: new Date(Date.now() + 3_600_000) }, 422, 'siwe_not_yet_valid'],
    ['a URI on another site', { uri: 'https://evil.test/login' }, 422, 'siwe_uri_mismatch'],
    [
      'a message issued an hour ago',
      { issuedAt: new Date(Date.now() - 3_600_000) },
      422,
      'siwe_issued_at_invalid',
    ],
    [
      'a message issued in the future',
      { issuedAt: new Date(Date.now() + 3_600_000) },
      422,
      'siwe_issued_at_invalid',
    ],
  ] as const)('refuses %s', async (_name, fields, status, code) => {
    const res = await verify(message({ nonce: await nonce(), ...fields }))
    expect(res.status).toBe(status)
    expect(res.body.code).toBe(code)
  })

  it('refuses a nonce it never issued, a signature by someone else, and garbage', async () => {
    const unknown = await verify(message({ nonce: 'abcdef1234567890' }))
    expect(unknown.body.code).toBe('siwe_nonce_unknown')
    const text = message({ nonce: await nonce() })
    const forged = await verify(
      text,
      await privateKeyToAccount(generatePrivateKey()).signMessage({ message: text }),
    )
    expect(forged.status).toBe(422)
    expect(forged.body.code).toBe('siwe_bad_signature')
    // The nonce survives a forged attempt: the real wallet can still use it.
    expect((await verify(text)).status).toBe(200)
    const garbage = await verify('hello', '0x1234')
    expect(garbage.status).toBe(400)
    expect(garbage.body.code).toBe('siwe_malformed')
    const noToken = await (await app).inject({ method: 'GET', url: '/v1/auth/session' })
    expect(noToken.statusCode).toBe(401)
  })

  const session = async (token: string) =>
    (await app).inject({
      method: 'GET',
      url: '/v1/auth/session',
      headers: { authorization: `Bearer ${token}` },
    })

  it("ends the session at the message's Expiration Time, whatever the session's own timers say", async () => {
    const expiration = new Date(Date.now() + 5 * 60_000)
    const signedIn = await verify(message({ nonce: await nonce(), expirationTime: expiration }))
    expect(signedIn.status).toBe(200)
    expect(signedIn.body.expiresAt).toBe(expiration.toISOString())
    expect((await session(signedIn.body.token)).statusCode).toBe(200)
    clockOffsetMs = expiration.getTime() + 1_000 - Date.now()
    const after = await session(signedIn.body.token)
    expect(after.statusCode).toBe(401)
    expect(after.json().code).toBe('unauthenticated')
  })

  it('lets parallel requests use a just-rotated token briefly, then treats it as stolen and ends the session', async () => {
    const signedIn = await verify(message({ nonce: await nonce() }))
    const old = signedIn.body.token as string
    clockOffsetMs = 31 * 60_000
    const rotating = await session(old)
    expect(rotating.statusCode).toBe(200)
    const rotated = rotating.headers['x-session-token'] as string
    expect(rotated).toBeDefined()
    expect(rotated).not.toBe(old)
    // A request that left with the old token at the same moment still gets through.
    expect((await session(old)).statusCode).toBe(200)
    clockOffsetMs += 11_000
    // Past the grace window the old token is a replay: both it and the session it led to end.
    expect((await session(old)).statusCode).toBe(401)
    expect((await session(rotated)).statusCode).toBe(401)
  })

  it('limits sign-in attempts per client with 429 problem+json', async () => {
    let limited: { statusCode: number; headers: Record<string, unknown>; json(): any } | undefined
    for (let i = 0; i < 35 && !limited; i++) {
      const res = await (await app).inject({
        method: 'POST',
        url: '/v1/auth/verify',
        remoteAddress: '198.51.100.7',
        payload: { message: 'hello', signature: '0x1234' },
      })
      if (res.statusCode === 429) limited = res
      else expect(res.statusCode).toBe(400)
    }
    expect(limited?.json().code).toBe('rate_limited')
    expect(limited?.headers['content-type']).toContain('application/problem+json')
  })

  it('limits nonce issuance per client, with 429 problem+json once the window is spent', async () => {
    let limited: { statusCode: number; headers: Record<string, unknown>; json(): any } | undefined
    for (let i = 0; i < 45 && !limited; i++) {
      const res = await (await app).inject({ method: 'GET', url: '/v1/auth/nonce' })
      if (res.statusCode === 429) limited = res
      else expect(res.statusCode).toBe(200)
    }
    expect(limited?.json().code).toBe('rate_limited')
    expect(limited?.headers['content-type']).toContain('application/problem+json')
    // Other auth routes are not counted against the nonce budget.
    expect((await (await app).inject({ method: 'GET', url: '/v1/auth/session' })).statusCode).toBe(401)
  })
})
