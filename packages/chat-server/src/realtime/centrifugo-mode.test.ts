/**
 * Centrifugo mode (CENTRIFUGO_API_URL set): connection tokens Centrifugo verifies with its one
 * HMAC secret, and the subscribe proxy deciding with the built-in gateway's access rules.
 */
import { readFileSync } from 'node:fs'
import { jwtVerify } from 'jose'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { loadChatConfig } from '../config.js'
import { client, type Harness, seedApp, startHarness } from '../testing/harness.js'
import { PROXY_KEY_HEADER, SUB_REFRESH_PROXY_PATH, SUBSCRIBE_PROXY_PATH } from './centrifugo-mode.js'
import { loadRealtimeConfig } from './config.js'
import { createRealtimePlugin } from './plugin.js'

const TOKEN_SECRET = 'centrifugo-mode-test-hmac-secret-0123456789'
const PROXY_KEY = 'centrifugo-mode-test-proxy-key'

// The relay stays off: nothing listens at the Centrifugo URL, and these tests publish nothing.
const centrifugoEnv = {
  CENTRIFUGO_API_URL: 'http://127.0.0.1:9',
  CENTRIFUGO_API_KEY: 'unused-api-key',
  REALTIME_RELAY: 'false',
}

describe('Centrifugo mode', () => {
  let h: Harness
  let one: Awaited<ReturnType<typeof seedApp>>
  let two: Awaited<ReturnType<typeof seedApp>>

  const proxy = (body: unknown, headers: Record<string, string> = { [PROXY_KEY_HEADER]: PROXY_KEY }) =>
    h.app.inject({
      method: 'POST',
      url: SUBSCRIBE_PROXY_PATH,
      headers: { 'content-type': 'application/json', ...headers },
      payload: typeof body === 'string' ? body : JSON.stringify(body),
    })
  /** A request as Centrifugo v5 sends it for a client subscribe. */
  const subscribeRequest = (user: string, channel: string) => ({
    client: '9336a229-2400-4ebc-8c50-0a643d22e8a0',
    transport: 'websocket',
    protocol: 'json',
    encoding: 'json',
    user,
    channel,
  })

  beforeAll(async () => {
    h = await startHarness(
      'rt_centrifugo',
      { CENTRIFUGO_TOKEN_HMAC_SECRET: TOKEN_SECRET, CENTRIFUGO_PROXY_KEY: PROXY_KEY },
      undefined,
      { realtime: createRealtimePlugin(loadRealtimeConfig({ ...process.env, ...centrifugoEnv })) },
    )
    one = await seedApp(h.app, 'one', ['alice', 'bob', 'eve', 'mallory'])
    two = await seedApp(h.app, 'two', ['alice'])
    const created = await one.users.alice!.post('/v1/channels', {
      type: 'messaging',
      id: 'general',
      members: ['alice', 'bob', 'mallory'],
    })
    expect(created.status).toBe(201)
    const banned = await one.server.post('/v1/moderation/bans', { userId: 'mallory', channelId: 'general' })
    expect(banned.status).toBe(201)
    await two.users.alice!.post('/v1/channels', { type: 'messaging', id: 'general', members: ['alice'] })
  }, 60_000)

  afterAll(async () => {
    await h?.close()
  })

  describe('connection tokens', () => {
    it('login tokens and the getToken route are signed with the shared secret, sub = app:user, own channel in channels', async () => {
      const minted = await one.server.post('/v1/users/alice/tokens')
      const fresh = await one.users.alice!.post('/v1/me/tokens/connection')
      expect(minted.status).toBe(200)
      expect(fresh.status).toBe(200)
      for (const token of [minted.body.connectionToken, fresh.body.connectionToken] as string[]) {
        const { payload, protectedHeader } = await jwtVerify(token, new TextEncoder().encode(TOKEN_SECRET), {
          algorithms: ['HS256'],
        })
        expect(protectedHeader.alg).toBe('HS256')
        expect(payload.sub).toBe(`${one.appId}:alice`)
        expect(payload.channels).toEqual([`user:${one.appId}:alice`])
        const now = Math.floor(Date.now() / 1000)
        expect(payload.exp).toBeGreaterThan(now)
        expect(payload.exp).toBeLessThanOrEqual(now + h.config.CONNECTION_TOKEN_TTL_SECONDS + 1)
      }
      // the access token of the same login still works with the API
      expect((await client(h.app).user(minted.body.accessToken).get('/v1/me')).status).toBe(200)
    })

    it('the same user id in two apps gets two different subjects, and another secret does not verify', async () => {
      const a = (await one.server.post('/v1/users/alice/tokens')).body.connectionToken as string
      const b = (await two.server.post('/v1/users/alice/tokens')).body.connectionToken as string
      const key = new TextEncoder().encode(TOKEN_SECRET)
      const [pa, pb] = await Promise.all([jwtVerify(a, key), jwtVerify(b, key)])
      expect(pa.payload.sub).not.toBe(pb.payload.sub)
      expect(pb.payload.channels).toEqual([`user:${two.appId}:alice`])
      await expect(jwtVerify(a, new TextEncoder().encode(`${TOKEN_SECRET}-other`))).rejects.toThrow()
    })
  })

  describe('subscribe proxy', () => {
    it('allows a member of a private channel', async () => {
      const res = await proxy(subscribeRequest(`${one.appId}:bob`, `chat:${one.appId}:general`))
      expect(res.statusCode).toBe(200)
      expect(res.json().result.expire_at).toBeGreaterThan(Date.now() / 1000)
    })

    it('refuses a non-member with 103', async () => {
      const res = await proxy(subscribeRequest(`${one.appId}:eve`, `chat:${one.appId}:general`))
      expect(res.statusCode).toBe(200)
      expect(res.json()).toEqual({ error: { code: 103, message: 'permission denied' } })
    })

    it("refuses another tenant's channel, even for a user with the same id there", async () => {
      const res = await proxy(subscribeRequest(`${two.appId}:alice`, `chat:${one.appId}:general`))
      expect(res.json()).toEqual({ error: { code: 103, message: 'permission denied' } })
      // and the same user in its own app is allowed: the refusal is about the tenant
      const own = await proxy(subscribeRequest(`${two.appId}:alice`, `chat:${two.appId}:general`))
      expect(own.json().result.expire_at).toBeGreaterThan(Date.now() / 1000)
    })

    it('refuses personal channels (Centrifugo subscribes those from the token), unknown channels and unknown users', async () => {
      for (const [user, channel] of [
        [`${one.appId}:alice`, `user:${one.appId}:alice`],
        [`${one.appId}:alice`, `user:${one.appId}:bob`],
        [`${one.appId}:alice`, `chat:${one.appId}:nope`],
        [`${one.appId}:alice`, 'news:general'],
        ['alice', `chat:${one.appId}:general`],
        [`${one.appId}:ghost`, `chat:${one.appId}:general`],
      ]) {
        const res = await proxy(subscribeRequest(user!, channel!))
        expect(res.json(), `${user} ${channel}`).toEqual({
          error: { code: 103, message: 'permission denied' },
        })
      }
    })

    it('answers a channel-banned member as REST and the built-in gateway do: a ban takes reading away too', async () => {
      const send = await one.users.mallory!.post('/v1/channels/general/messages', { text: 'hi' })
      expect(send.status).toBe(403)
      const read = await one.users.mallory!.get('/v1/channels/general')
      expect([read.status, read.body.code]).toEqual([403, 'user_banned'])
      const res = await proxy(subscribeRequest(`${one.appId}:mallory`, `chat:${one.appId}:general`))
      expect(res.json()).toEqual({ error: { code: 103, message: 'permission denied' } })
    })

    it('refuses callers without the proxy key with 401 problem+json', async () => {
      const body = subscribeRequest(`${one.appId}:bob`, `chat:${one.appId}:general`)
      const callers: Record<string, string>[] = [
        {},
        { [PROXY_KEY_HEADER]: 'wrong-key-wrong-key' },
        { authorization: `Bearer ${one.tokens.bob}` },
      ]
      for (const headers of callers) {
        const res = await proxy(body, headers)
        expect(res.statusCode).toBe(401)
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        expect(res.json().code).toBe('invalid_proxy_key')
      }
    })

    it('answers malformed bodies with 4xx problem+json, never 500', async () => {
      const cases: [unknown, string | undefined][] = [
        ['{not json', undefined],
        [[1, 2], undefined],
        ['null', undefined],
        [{ channel: `chat:${one.appId}:general` }, '/user'],
        [{ user: `${one.appId}:bob` }, '/channel'],
        [{ user: 42, channel: `chat:${one.appId}:general` }, '/user'],
        [{ user: `${one.appId}:bob`, channel: ['x'] }, '/channel'],
        [{ user: `${one.appId}:bob`, channel: '' }, '/channel'],
      ]
      for (const [body, path] of cases) {
        const res = await proxy(body)
        expect(res.statusCode, JSON.stringify(body)).toBeGreaterThanOrEqual(400)
        expect(res.statusCode, JSON.stringify(body)).toBeLessThan(500)
        expect(res.headers['content-type']).toMatch(/^application\/problem\+json/)
        if (path) expect(res.json().errors?.[0]?.path).toBe(path)
      }
      const text = await h.app.inject({
        method: 'POST',
        url: SUBSCRIBE_PROXY_PATH,
        headers: { 'content-type': 'text/plain', [PROXY_KEY_HEADER]: PROXY_KEY },
        payload: 'hello',
      })
      expect(text.statusCode).toBeGreaterThanOrEqual(400)
      expect(text.statusCode).toBeLessThan(500)
      expect(text.headers['content-type']).toMatch(/^application\/problem\+json/)
    })
  })

  describe('deploy/centrifugo/config.json', () => {
    const deployed = JSON.parse(
      readFileSync(new URL('../../../../deploy/centrifugo/config.json', import.meta.url), 'utf8'),
    ) as {
      token_hmac_secret_key: string
      api_key: string
      proxy_subscribe_endpoint: string
      proxy_sub_refresh_endpoint: string
      proxy_static_http_headers: Record<string, string>
      namespaces: { name: string; proxy_subscribe?: boolean; proxy_sub_refresh?: boolean }[]
    }
    const headerEntry = Object.entries(deployed.proxy_static_http_headers).find(
      ([name]) => name.toLowerCase() === PROXY_KEY_HEADER,
    )

    it('points the subscribe and sub_refresh proxies at our routes with our header', () => {
      expect(new URL(deployed.proxy_subscribe_endpoint).pathname).toBe(SUBSCRIBE_PROXY_PATH)
      expect(new URL(deployed.proxy_sub_refresh_endpoint).pathname).toBe(SUB_REFRESH_PROXY_PATH)
      const chat = deployed.namespaces.find((ns) => ns.name === 'chat')
      expect(chat?.proxy_subscribe && chat.proxy_sub_refresh).toBe(true)
      expect(headerEntry).toBeDefined()
    })

    it('holds placeholders that production refuses', () => {
      const production = {
        NODE_ENV: 'production',
        ADMIN_API_KEY: 'adm_7f3kQ9zR2mX8vL4nB6cJ1wY5',
        FILE_URL_SECRET: 'fus_9dK2mP7qR4tV8xZ1bN5cL3wJ',
      }
      const chat = () =>
        loadChatConfig({
          ...production,
          CENTRIFUGO_TOKEN_HMAC_SECRET: deployed.token_hmac_secret_key,
          CENTRIFUGO_PROXY_KEY: headerEntry![1],
        })
      expect(chat).toThrow(/CENTRIFUGO_TOKEN_HMAC_SECRET/)
      expect(chat).toThrow(/CENTRIFUGO_PROXY_KEY/)
      expect(() =>
        loadRealtimeConfig({ NODE_ENV: 'production', CENTRIFUGO_API_KEY: deployed.api_key }),
      ).toThrow(/CENTRIFUGO_API_KEY/)
    })
  })

  it('refuses to start without the token secret and the proxy key', async () => {
    await expect(
      startHarness('rt_centrifugo_unset', {}, undefined, {
        realtime: createRealtimePlugin(loadRealtimeConfig({ ...process.env, ...centrifugoEnv })),
      }),
    ).rejects.toThrow(/CENTRIFUGO_TOKEN_HMAC_SECRET and CENTRIFUGO_PROXY_KEY/)
  })
})
