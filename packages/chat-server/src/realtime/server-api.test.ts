/**
 * The Centrifugo server-HTTP-API publisher driver, run against our gateway's own `/api`: the same
 * driver talks to a real Centrifugo in production.
 */
import type { Centrifuge } from 'centrifuge'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { CentrifugoApiError, createCentrifugoPublisher } from './centrifugo-http.js'
import type { Publisher } from './publisher.js'
import {
  FakeMembership,
  newAppId,
  newClient,
  signToken,
  startTestGateway,
  TEST_API_KEY,
  type TestGateway,
  waitFor,
} from './test-support.js'

describe('Centrifugo HTTP API driver against our gateway', () => {
  const appId = newAppId()
  const room = `chat:${appId}:room`
  let gw: TestGateway
  let api: Publisher
  let client: Centrifuge
  const got: { data: unknown; offset?: number }[] = []

  beforeAll(async () => {
    gw = await startTestGateway({ authorizer: new FakeMembership().add(room, 'alice') })
    api = createCentrifugoPublisher({ url: `http://127.0.0.1:${gw.port}`, apiKey: TEST_API_KEY })
    client = newClient(gw.url, { token: await signToken({ appId, userId: 'alice' }) })
    const sub = client.newSubscription(room)
    sub.on('publication', (p) => got.push({ data: p.data, offset: p.offset }))
    sub.subscribe()
    client.connect()
    await sub.ready(5000)
  })
  afterAll(async () => {
    client.disconnect()
    await gw.close()
  })

  it('publishes with offsets, dedupes by idempotency key, and broadcasts', async () => {
    const first = await api.publish({ channel: room, data: { n: 1 }, idempotencyKey: 'evt-1' })
    const repeat = await api.publish({ channel: room, data: { n: 1 }, idempotencyKey: 'evt-1' })
    expect(first?.offset).toBe(1)
    expect(repeat).toEqual(first)
    await api.broadcast([room, `user:${appId}:alice`], { n: 2 })
    await waitFor(() => got.length === 2)
    expect(got).toEqual([
      { data: { n: 1 }, offset: 1 },
      { data: { n: 2 }, offset: 2 },
    ])
  })

  it('reads history and presence', async () => {
    const history = await api.history(room, { limit: 10 })
    expect(history.publications.map((p) => p.data)).toEqual([{ n: 1 }, { n: 2 }])
    expect(history.position.offset).toBe(2)
    const since = await api.history(room, { limit: 10, since: { offset: 1, epoch: history.position.epoch } })
    expect(since.publications.map((p) => p.offset)).toEqual([2])
    expect(Object.values(await api.presence(room)).map((i) => i.user)).toEqual(['alice'])
    expect(await api.presenceStats(room)).toEqual({ numClients: 1, numUsers: 1 })
  })

  it('refuses a wrong key and a bad channel', async () => {
    const wrong = createCentrifugoPublisher({ url: `http://127.0.0.1:${gw.port}`, apiKey: 'nope' })
    await expect(wrong.publish({ channel: room, data: {} })).rejects.toBeInstanceOf(CentrifugoApiError)
    await expect(api.publish({ channel: 'bad', data: {} })).rejects.toMatchObject({ code: 102 })
  })

  it('disconnects a user with the given code', async () => {
    const closed = new Promise<{ code: number }>((resolve) => client.on('disconnected', resolve))
    await api.disconnect('alice', { code: 3503, reason: 'banned' })
    expect(await closed).toMatchObject({ code: 3503 })
  })
})
