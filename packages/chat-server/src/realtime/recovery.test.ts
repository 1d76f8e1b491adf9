import type { PublicationContext, SubscribedContext } from 'centrifuge'
import { afterAll, describe, expect, it } from 'vitest'
import {
  FakeMembership,
  newAppId,
  newClient,
  signToken,
  sleep,
  startTestGateway,
  TcpProxy,
  type TestGateway,
  waitFor,
} from './test-support.js'

const appId = newAppId()
const channel = `chat:${appId}:room`
const members = new FakeMembership().add(channel, 'alice')

async function subscribedClient(url: string) {
  const client = newClient(url, { token: await signToken({ appId, userId: 'alice' }) })
  const sub = client.newSubscription(channel)
  const pubs: PublicationContext[] = []
  const subscribed: SubscribedContext[] = []
  sub.on('publication', (p) => pubs.push(p))
  sub.on('subscribed', (ctx) => subscribed.push(ctx))
  sub.subscribe()
  client.connect()
  await sub.ready(5000)
  return { client, sub, pubs, subscribed }
}

describe('recovery after a network cut', () => {
  const cleanup: (() => Promise<void> | void)[] = []
  afterAll(async () => {
    for (const f of cleanup.reverse()) await f()
  })

  it('recovers everything sent during a 10 s cut: contiguous offsets, no duplicates', async () => {
    const gw: TestGateway = await startTestGateway({ authorizer: members })
    const proxy = await new TcpProxy(() => gw.port).listen()
    cleanup.push(
      () => gw.close(),
      () => proxy.close(),
    )
    const { client, pubs, subscribed } = await subscribedClient(proxy.url)
    cleanup.push(() => client.disconnect())
    const userPubs: PublicationContext[] = []
    client.on('publication', (p) => userPubs.push(p))

    for (let i = 1; i <= 5; i++) await gw.gateway.publisher.publish({ channel, data: { n: i } })
    await waitFor(() => pubs.length === 5)

    proxy.cut(10_000)
    await waitFor(() => client.state !== 'connected', 5000, 'client to notice the cut')
    const during = Date.now()
    let n = 5
    while (Date.now() - during < 9_000) {
      n++
      await gw.gateway.publisher.publish({ channel, data: { n } })
      await gw.gateway.publisher.publish({ channel: `user:${appId}:alice`, data: { u: n } })
      await sleep(300)
    }
    await waitFor(() => client.state === 'connected', 15_000, 'reconnect')
    await waitFor(() => pubs.length === n, 5000, 'recovered publications')

    const last = subscribed.at(-1) as SubscribedContext
    expect(last.wasRecovering).toBe(true)
    expect(last.recovered).toBe(true)
    expect(pubs.map((p) => (p.data as { n: number }).n)).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    const offsets = pubs.map((p) => p.offset)
    expect(new Set(offsets).size).toBe(offsets.length)
    expect(offsets).toEqual(Array.from({ length: n }, (_, i) => i + 1))
    // The server-side user channel recovered through the connect command, too.
    expect(userPubs.map((p) => (p.data as { u: number }).u)).toEqual(
      Array.from({ length: n - 5 }, (_, i) => i + 6),
    )
  }, 40_000)

  it('answers recovered:false when the missed range left the bounded history, and the client can reload', async () => {
    const gw: TestGateway = await startTestGateway({ authorizer: members, historySize: 5 })
    const proxy = await new TcpProxy(() => gw.port).listen()
    cleanup.push(
      () => gw.close(),
      () => proxy.close(),
    )
    const { client, pubs, subscribed } = await subscribedClient(proxy.url)
    cleanup.push(() => client.disconnect())

    await gw.gateway.publisher.publish({ channel, data: { n: 1 } })
    await waitFor(() => pubs.length === 1)
    proxy.cut(1500)
    await waitFor(() => client.state !== 'connected', 5000)
    for (let i = 2; i <= 20; i++) await gw.gateway.publisher.publish({ channel, data: { n: i } })
    await waitFor(() => subscribed.length === 2, 15_000, 'resubscribe')

    const last = subscribed.at(-1) as SubscribedContext
    expect(last.wasRecovering).toBe(true)
    expect(last.recovered).toBe(false)
    // Nothing partial was replayed; the stream position moved to the top, so the app reloads from
    // the API (source of truth) and goes on from there.
    expect(pubs).toHaveLength(1)
    expect(last.streamPosition?.offset).toBe(20)
    await gw.gateway.publisher.publish({ channel, data: { n: 21 } })
    await waitFor(() => pubs.length === 2)
    expect(pubs[1]?.offset).toBe(21)
  }, 30_000)
})
