/**
 * Centrifugo mode: what the API takes away reaches Centrifugo through its server API. There is no
 * Centrifugo binary here, so a local HTTP receiver stands in for its API (`POST /api/<method>`,
 * `Authorization: apikey …`) and records every call; the relay drains the outbox into it.
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'
import { PROXY_KEY_HEADER, SUB_REFRESH_PROXY_PATH } from './centrifugo-mode.js'
import { loadRealtimeConfig } from './config.js'
import { createRealtimePlugin } from './plugin.js'
import { waitFor } from './test-support.js'

const API_KEY = 'centrifugo-control-test-api-key'
const PROXY_KEY = 'centrifugo-control-test-proxy-key'

interface ApiCall {
  method: string
  params: Record<string, any>
}

/** Answers like Centrifugo v5's server HTTP API and keeps the calls in arrival order. */
async function startCentrifugoApi(): Promise<{ server: Server; url: string; calls: ApiCall[] }> {
  const calls: ApiCall[] = []
  let offset = 0
  const server = createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => {
      body += chunk
    })
    req.on('end', () => {
      res.setHeader('content-type', 'application/json')
      if (req.headers.authorization !== `apikey ${API_KEY}`) {
        res.statusCode = 401
        return res.end('{}')
      }
      const method = (req.url ?? '').replace('/api/', '')
      calls.push({ method, params: JSON.parse(body) })
      const result = method === 'publish' ? { offset: ++offset, epoch: 'test' } : {}
      res.end(JSON.stringify({ result }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, calls }
}

describe('Centrifugo mode: server-side unsubscribe and disconnect through the server API', () => {
  let h: Harness
  let api: Awaited<ReturnType<typeof startCentrifugoApi>>
  let one: Awaited<ReturnType<typeof seedApp>>
  const user = (id: string) => `${one.appId}:${id}`
  const chat = (id: string) => `chat:${one.appId}:${id}`
  const callsOf = (method: string) => api.calls.filter((call) => call.method === method)
  const waitForCall = (what: string, match: (call: ApiCall) => boolean) =>
    waitFor(() => api.calls.some(match), 10_000, what)

  beforeAll(async () => {
    api = await startCentrifugoApi()
    const env = {
      ...process.env,
      CENTRIFUGO_API_URL: api.url,
      CENTRIFUGO_API_KEY: API_KEY,
      REALTIME_RELAY: 'true',
      REALTIME_OUTBOX_POLL_MS: '20',
    }
    h = await startHarness(
      'rt_centrifugo_control',
      {
        CENTRIFUGO_TOKEN_HMAC_SECRET: 'centrifugo-control-test-hmac-0123456789',
        CENTRIFUGO_PROXY_KEY: PROXY_KEY,
      },
      undefined,
      { realtime: createRealtimePlugin(loadRealtimeConfig(env)) },
    )
    one = await seedApp(h.app, 'one', ['alice', 'bob', 'carol', 'eve'])
    const created = await one.users.alice!.post('/v1/channels', {
      type: 'messaging',
      id: 'general',
      members: ['alice', 'bob', 'carol', 'eve'],
    })
    expect(created.status).toBe(201)
  }, 60_000)

  afterAll(async () => {
    await h?.close()
    await new Promise((resolve) => api?.server.close(resolve))
  })

  it('unsubscribes a removed member before anything written after the removal is published', async () => {
    expect((await one.users.alice!.delete('/v1/channels/general/members/bob')).status).toBe(204)
    const sent = await one.users.alice!.post('/v1/channels/general/messages', { text: 'after bob left' })
    expect(sent.status).toBe(201)
    await waitForCall(
      'the message publish',
      (c) => c.method === 'publish' && c.params.data?.payload?.message?.text === 'after bob left',
    )
    const unsubscribe = api.calls.findIndex(
      (c) =>
        c.method === 'unsubscribe' && c.params.user === user('bob') && c.params.channel === chat('general'),
    )
    const publish = api.calls.findIndex((c) => c.params.data?.payload?.message?.text === 'after bob left')
    expect(unsubscribe).toBeGreaterThanOrEqual(0)
    expect(unsubscribe).toBeLessThan(publish)
    // control events are carried out, never published to clients
    expect(
      api.calls.some((c) => c.method === 'publish' && String(c.params.data?.type).startsWith('control.')),
    ).toBe(false)
  })

  it('answers the sub_refresh proxy: expired for the removed member, prolonged for a member', async () => {
    const refresh = (who: string) =>
      h.app.inject({
        method: 'POST',
        url: SUB_REFRESH_PROXY_PATH,
        headers: { 'content-type': 'application/json', [PROXY_KEY_HEADER]: PROXY_KEY },
        payload: {
          client: 'c1',
          transport: 'websocket',
          protocol: 'json',
          encoding: 'json',
          user: user(who),
          channel: chat('general'),
        },
      })
    expect((await refresh('bob')).json()).toEqual({ result: { expired: true } })
    expect((await refresh('alice')).json().result.expire_at).toBeGreaterThan(Date.now() / 1000)
    const keyless = await h.app.inject({ method: 'POST', url: SUB_REFRESH_PROXY_PATH, payload: {} })
    expect(keyless.statusCode).toBe(401)
  })

  it('disconnects a user whose tokens are revoked, with a code that lets valid sessions reconnect', async () => {
    expect((await one.server.post('/v1/users/carol/tokens/revoke', {})).status).toBe(200)
    await waitForCall('disconnect carol', (c) => c.method === 'disconnect' && c.params.user === user('carol'))
    expect(callsOf('disconnect').find((c) => c.params.user === user('carol'))?.params.disconnect.code).toBe(
      3011,
    )
  })

  it('disconnects an app-banned user for good and mints them no connection token', async () => {
    const token = one.tokens.eve!
    expect((await one.server.post('/v1/moderation/bans', { userId: 'eve' })).status).toBe(201)
    await waitForCall('disconnect eve', (c) => c.method === 'disconnect' && c.params.user === user('eve'))
    expect(callsOf('disconnect').find((c) => c.params.user === user('eve'))?.params.disconnect.code).toBe(
      3503,
    )
    const mint = await h.app.inject({
      method: 'POST',
      url: '/v1/me/tokens/connection',
      headers: { authorization: `Bearer ${token}` },
    })
    expect([mint.statusCode, mint.json().code]).toEqual([403, 'user_banned'])
  })

  it('unsubscribes every member and drops the stream when a channel is deleted', async () => {
    expect(
      (await one.users.alice!.post('/v1/channels', { type: 'messaging', id: 'doomed', members: ['bob'] }))
        .status,
    ).toBe(201)
    expect((await one.users.alice!.delete('/v1/channels/doomed')).status).toBe(204)
    await waitForCall(
      'history_remove doomed',
      (c) => c.method === 'history_remove' && c.params.channel === chat('doomed'),
    )
    const gone = callsOf('unsubscribe')
      .filter((c) => c.params.channel === chat('doomed'))
      .map((c) => c.params.user)
    expect(gone.sort()).toEqual([user('alice'), user('bob')])
  })
})
