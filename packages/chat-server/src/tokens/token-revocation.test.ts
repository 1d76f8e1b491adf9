import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest'
import { client, type Harness, seedApp, startHarness } from '../testing/harness.js'
import { verifyConnectionToken } from './tokens.js'

/**
 * Verified tokens are memoized (the signature is checked once per token string). These scenarios
 * prove that the memo never outlives what it must not: revocation, expiry, the token's use.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>

beforeAll(async () => {
  h = await startHarness('token-revocation')
  S = await seedApp(h.app, 'tokrev', ['ann', 'ben', 'cid', 'dee'])
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
