import { Redis } from 'ioredis'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, type Harness, seedApp, startHarness } from '../testing/harness.js'

// Small limits so each policy is reached in a few calls. The harness gives this file its own
// bucket store: Redis (the Lua token bucket) when REDIS_URL is set, else the in-memory driver.
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
beforeAll(async () => {
  h = await startHarness('ratelimits', {
    RATE_LIMIT_IP_PER_MINUTE: '4',
    RATE_LIMIT_API_KEY_PER_MINUTE: '8',
    RATE_LIMIT_USER_PER_MINUTE: '6',
    RATE_LIMIT_USER_SENDS_PER_MINUTE: '2',
  })
  S = await seedApp(h.app, 'limits', ['ann', 'bob'])
  await S.users.ann!.post('/v1/channels', { type: 'team', id: 'room', members: ['bob'] })
})
afterAll(async () => h?.close())

const expectLimited = (
  res: { status: number; headers: Record<string, unknown>; body: any },
  policy: string,
) => {
  expect(res.status).toBe(429)
  expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/)
  expect(res.body).toMatchObject({ status: 429, code: 'rate_limited' })
  if (policy) expect(res.body.detail).toContain(`"${policy}"`)
  expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1)
  expect(res.headers['ratelimit-remaining']).toBe('0')
  expect(res.headers['ratelimit-policy']).toBeDefined()
}

describe('chat rate limits', () => {
  it('limits message sends per user with the tighter send policy, and leaves other users alone', async () => {
    const first = await S.users.ann!.post('/v1/channels/room/messages', { text: 'one' })
    expect(first.status).toBe(201)
    // tightest of user (6) and send (2): the send policy
    expect(first.headers['ratelimit-limit']).toBe('2')
    expect(first.headers['ratelimit-remaining']).toBe('1')
    expect(first.headers['ratelimit-policy']).toBe('6;w=60, 2;w=60')
    expect((await S.users.ann!.post('/v1/channels/room/messages', { text: 'two' })).status).toBe(201)
    const refused = await S.users.ann!.post('/v1/channels/room/messages', { text: 'three' })
    expectLimited(refused, 'send')
    // nothing was written by the refused call
    const list = await S.users.ann!.get('/v1/channels/room/messages')
    expect(list.status).toBe(200)
    expect(list.body.messages.map((m: any) => m.text)).toEqual(['one', 'two'])
    // reads still have user budget; bob's bucket is his own
    expect((await S.users.bob!.post('/v1/channels/room/messages', { text: 'bob here' })).status).toBe(201)
  })

  it('limits every user-token route per user', async () => {
    // ann has spent 5 of 6 (create channel, 3 sends, 1 list): one more read, then refused
    expect((await S.users.ann!.get('/v1/me')).status).toBe(200)
    expectLimited(await S.users.ann!.get('/v1/me'), 'user')
  })

  it('limits backend routes per API key; a second key of the app has its own bucket', async () => {
    const second = await S.server.post('/v1/app/keys', { name: 'second' })
    expect(second.status).toBe(201)
    let refused: Awaited<ReturnType<typeof S.server.get>> | undefined
    for (let i = 0; i < 10 && !refused; i++) {
      const res = await S.server.get('/v1/app')
      if (res.status === 429) refused = res
      else expect(res.status).toBe(200)
    }
    expect(refused).toBeDefined()
    expectLimited(refused!, 'apikey')
    const other = await client(h.app).server(second.body.apiKey).get('/v1/app')
    expect(other.status).toBe(200)
    expect(other.headers['ratelimit-limit']).toBe('8')
  })

  it('limits unauthenticated routes per IP, before the body is even looked at', async () => {
    const anonymous = client(h.app).anonymous
    const statuses: number[] = []
    for (let i = 0; i < 5; i++)
      statuses.push((await anonymous.post('/v1/tokens/refresh', { refreshToken: 'rt_nope' })).status)
    expect(statuses.slice(0, 4).every((s) => s === 401)).toBe(true)
    expect(statuses[4]).toBe(429)
    // malformed input from a limited IP is refused by the limiter, not parsed
    expectLimited(await anonymous.post('/v1/tokens/refresh', { nonsense: true }), 'ip')
  })

  it.runIf(process.env.REDIS_URL)('keeps the buckets in Redis when REDIS_URL is set', async () => {
    const redis = new Redis(process.env.REDIS_URL!)
    try {
      // the harness prefix is test:ratelimits:<random>:rl: then <policy>:<key>; keys never hold secrets
      const keys = await redis.keys('test:ratelimits:*rl:*')
      expect(keys.some((k) => k.endsWith(`rl:send:${S.appId}:ann`))).toBe(true)
      expect(keys.some((k) => k.includes('rl:apikey:'))).toBe(true)
      expect(keys.some((k) => k.endsWith('rl:ip:127.0.0.1'))).toBe(true)
      expect(keys.join(' ')).not.toContain(S.apiKey)
    } finally {
      redis.disconnect()
    }
  })

  it('counts refusals in rate_limit_exceeded_total by policy', async () => {
    const metrics = await h.app.metrics.registry.getSingleMetricAsString('rate_limit_exceeded_total')
    for (const policy of ['send', 'user', 'apikey', 'ip'])
      expect(metrics).toMatch(new RegExp(`rate_limit_exceeded_total\\{policy="${policy}"[^}]*\\} [1-9]`))
  })
})

describe('failed authentications', () => {
  let auth: Harness
  let T: Awaited<ReturnType<typeof seedApp>>
  beforeAll(async () => {
    auth = await startHarness('ratelimits_auth', { RATE_LIMIT_AUTH_FAILURES_PER_MINUTE: '3' })
    T = await seedApp(auth.app, 'auth', ['ann'])
  })
  afterAll(async () => auth?.close())

  it('stop an address after the budget of bad credentials, valid ones included, but not expired tokens', async () => {
    const c = client(auth.app)
    // expired tokens are normal life: they do not count
    const expired = await c.user(await expiredToken(T)).get('/v1/me')
    expect(expired.body.code).toBe('token_expired')
    for (const bad of [c.server('chat_wrong'), c.user('not-a-jwt'), c.server('chat_wrong')]) {
      expect((await bad.get('/v1/app')).status).toBe(401)
    }
    // the address is now refused before any credential is looked at
    const refused = await T.server.get('/v1/app')
    expectLimited(refused, '')
    expect(refused.body.detail).toMatch(/failed authentications/)
    const metrics = await auth.app.metrics.registry.getSingleMetricAsString('auth_failures_total')
    expect(metrics).toMatch(/auth_failures_total\{reason="invalid_api_key"[^}]*\} 2/)
    expect(metrics).not.toMatch(/token_expired/)
  })
})

/** A correctly signed access token that has expired: minted with the clock moved back past its TTL. */
async function expiredToken(T: Awaited<ReturnType<typeof seedApp>>): Promise<string> {
  const realNow = Date.now
  Date.now = () => realNow() - 3600_000
  try {
    return (await T.server.post('/v1/users/ann/tokens')).body.accessToken
  } finally {
    Date.now = realNow
  }
}

describe('with RATE_LIMIT_ENABLED=false', () => {
  let off: Harness
  beforeAll(async () => {
    off = await startHarness('ratelimits_off', {
      RATE_LIMIT_ENABLED: 'false',
      RATE_LIMIT_USER_SENDS_PER_MINUTE: '1',
    })
  })
  afterAll(async () => off?.close())

  it('sends no RateLimit headers and never refuses', async () => {
    const T = await seedApp(off.app, 'unlimited', ['ann'])
    await T.users.ann!.post('/v1/channels', { type: 'team', id: 'room', members: [] })
    for (let i = 0; i < 3; i++) {
      const res = await T.users.ann!.post('/v1/channels/room/messages', { text: `m${i}` })
      expect(res.status).toBe(201)
      expect(res.headers['ratelimit-limit']).toBeUndefined()
    }
  })
})
