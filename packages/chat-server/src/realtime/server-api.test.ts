/**
 * The Centrifugo server-HTTP-API publisher driver, run against our gateway's own `/api`: the same
 * driver talks to a real Centrifugo in production.
 */
import type { Centrifuge } from 'centrifuge'
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
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

  it('unsubscribes a user from one channel on the server side', async () => {
    const sub = client.getSubscription(room)
    const unsubscribed = new Promise<{ code: number }>((resolve) => sub?.on('unsubscribed', resolve))
    await api.unsubscribe(`${appId}:alice`, room)
    expect(await unsubscribed).toMatchObject({ code: 2000 })
    await api.removeHistory(room)
    expect((await api.history(room, { limit: 10 })).publications).toEqual([])
  })

  it('disconnects a user of one app only: the same user id in another app keeps its connection', async () => {
    const otherApp = newAppId()
    const twin = newClient(gw.url, { token: await signToken({ appId: otherApp, userId: 'alice' }) })
    twin.connect()
    await twin.ready(5000)
    const twinClosed = vi.fn()
    twin.on('disconnected', twinClosed)
    // a bare user id names nobody: it would match the same id in every app
    await expect(api.disconnect('alice', { code: 3503, reason: 'banned' })).rejects.toMatchObject({
      code: 107,
    })
    const closed = new Promise<{ code: number }>((resolve) => client.on('disconnected', resolve))
    await api.disconnect(`${appId}:alice`, { code: 3503, reason: 'banned' })
    expect(await closed).toMatchObject({ code: 3503 })
    // the twin's session gets any close within the same broker round trip as alice's did
    await api.presenceStats(room)
    expect(twinClosed).not.toHaveBeenCalled()
    expect(twin.state).toBe('connected')
    twin.disconnect()
  })
})
