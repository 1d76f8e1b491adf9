import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import type { ChatContext } from '../shared/context.js'
import { client, type Harness, seedApp, startHarness } from '../testing/harness.js'
import { TOKEN_STATE_TTL_MS } from './token-state.js'
import {
  closeTokenState,
  openTokenState,
  revokeTokens,
  verifyAccessToken,
  verifyConnectionToken,
} from './tokens.js'

/**
 * Verified tokens are memoized (the signature is checked once per token string). These scenarios
 * prove that the memo never outlives what it must not: revocation, expiry, the token's use.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>

beforeAll(async () => {
  h = await startHarness('token-revocation')
  S = await seedApp(h.app, 'tokrev', ['ann', 'ben', 'cid', 'dee', 'eve', 'fay', 'gus', 'hal'])
})
afterAll(async () => h?.close())
afterEach(() => vi.useRealTimers())

const me = async (token: string) => client(h.app).user(token).get('/v1/channels')

async function session(userId: string) {
  const minted = await S.server.post(`/v1/users/${userId}/tokens`)
  expect(minted.status).toBe(200)
  return minted.body as { accessToken: string; connectionToken: string; sessionId: string }
}

describe('token revocation with verified-token memo', () => {
  it('revoking the session refuses a token that was verified before', async () => {
    const { accessToken, sessionId } = await session('ann')
    expect((await me(accessToken)).status).toBe(200)
    expect((await me(accessToken)).status).toBe(200)
    expect((await S.server.post('/v1/users/ann/tokens/revoke', { sessionId })).status).toBe(200)
    const refused = await me(accessToken)
    expect([refused.status, refused.body.code]).toEqual([401, 'token_revoked'])
  })

  it('revoking every token of a user refuses a token that was verified before', async () => {
    const { accessToken } = await session('ben')
    expect((await me(accessToken)).status).toBe(200)
    expect((await S.server.post('/v1/users/ben/tokens/revoke', {})).status).toBe(200)
    const refused = await me(accessToken)
    expect([refused.status, refused.body.code]).toEqual([401, 'token_revoked'])
  })

  it('a verified token expires on time', async () => {
    const { accessToken } = await session('cid')
    expect((await me(accessToken)).status).toBe(200)
    vi.useFakeTimers({ toFake: ['Date'], now: Date.now() + (h.config.ACCESS_TOKEN_TTL_SECONDS + 1) * 1000 })
    const refused = await me(accessToken)
    expect([refused.status, refused.body.code]).toEqual([401, 'token_expired'])
  })

  it('an access token verified once is still not a connection token, nor the reverse', async () => {
    const { accessToken, connectionToken } = await session('dee')
    const { ctx } = h.app.chat.services
    expect((await me(accessToken)).status).toBe(200)
    expect((await verifyConnectionToken(ctx, connectionToken)).userId).toBe('dee')
    const asAccess = await me(connectionToken)
    expect([asAccess.status, asAccess.body.code]).toEqual([401, 'invalid_token'])
    await expect(verifyConnectionToken(ctx, accessToken)).rejects.toMatchObject({ code: 'invalid_token' })
  })

  it('a tampered copy of a verified token is refused', async () => {
    const { accessToken } = await session('dee')
    expect((await me(accessToken)).status).toBe(200)
    const [header, payload, signature] = accessToken.split('.') as [string, string, string]
    const flipped = `${signature.slice(0, -2)}${signature.endsWith('AA') ? 'BA' : 'AA'}`
    const refused = await me(`${header}.${payload}.${flipped}`)
    expect([refused.status, refused.body.code]).toEqual([401, 'invalid_token'])
  })
})

/**
 * Each node keeps accepted token state for at most TOKEN_STATE_TTL_MS (token-state.ts). A second
 * context on the same database and shared cache plays another node; Date is frozen so the TTL
 * cannot be what makes a revocation bite, except in the test about the TTL itself.
 */
describe('token revocation across nodes with the token-state near-cache', () => {
  let other: ChatContext
  beforeAll(async () => {
    other = { ...h.app.chat.services.ctx }
    await openTokenState(other)
  })
  afterAll(async () => closeTokenState(other))

  /**
   * Polls with real timers while Date stays frozen (vi.waitFor would advance the fake clock, and
   * with it the TTL): only an invalidation can make the check pass.
   */
  const eventually = async (check: () => Promise<boolean>) => {
    for (let attempt = 0; attempt < 200; attempt++) {
      if (await check()) return true
      await new Promise((resolve) => setTimeout(resolve, 10))
    }
    return false
  }
  const refusedElsewhere = (token: string) =>
    verifyAccessToken(other, token).then(
      () => false,
      (error) => error.code === 'token_revoked',
    )

  const acceptedElsewhere = async (token: string) => {
    // twice: the first lookup fills the other node's near-cache, the second is served from it
    expect((await verifyAccessToken(other, token)).sessionId).toBeTruthy()
    expect((await verifyAccessToken(other, token)).sessionId).toBeTruthy()
  }

  it('revoking a session here refuses it on the other node without waiting for the TTL', async () => {
    const { accessToken, sessionId } = await session('eve')
    await acceptedElsewhere(accessToken)
    vi.useFakeTimers({ toFake: ['Date'] })
    expect((await S.server.post('/v1/users/eve/tokens/revoke', { sessionId })).status).toBe(200)
    expect(await eventually(() => refusedElsewhere(accessToken))).toBe(true)
  })

  it('revoking every token of a user here refuses them on the other node without waiting for the TTL', async () => {
    const { accessToken } = await session('fay')
    await acceptedElsewhere(accessToken)
    vi.useFakeTimers({ toFake: ['Date'] })
    expect((await S.server.post('/v1/users/fay/tokens/revoke', {})).status).toBe(200)
    expect(await eventually(() => refusedElsewhere(accessToken))).toBe(true)
  })

  it("a revocation on the other node reaches this node's API without waiting for the TTL", async () => {
    const { accessToken, sessionId } = await session('gus')
    expect((await me(accessToken)).status).toBe(200)
    expect((await me(accessToken)).status).toBe(200)
    vi.useFakeTimers({ toFake: ['Date'] })
    await revokeTokens(other, S.appId, 'gus', sessionId)
    expect(
      await eventually(async () => {
        const refused = await me(accessToken)
        return refused.status === 401 && refused.body.code === 'token_revoked'
      }),
    ).toBe(true)
  })

  it('a revocation whose invalidation message was lost applies once the TTL has passed', async () => {
    const { accessToken, sessionId } = await session('hal')
    await acceptedElsewhere(accessToken)
    vi.useFakeTimers({ toFake: ['Date'] })
    // the shared cache says revoked, but no invalidation was published (as when it is lost)
    await h.app.chat.services.ctx.cache.set(`chat:sessrev:${sessionId}`, true, { ttlMs: 600_000 })
    vi.setSystemTime(Date.now() + TOKEN_STATE_TTL_MS)
    await expect(verifyAccessToken(other, accessToken)).rejects.toMatchObject({ code: 'token_revoked' })
  })
})
