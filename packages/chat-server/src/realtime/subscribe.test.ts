import type { Centrifuge, PublicationContext } from 'centrifuge'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import {
  FakeMembership,
  newAppId,
  newClient,
  signToken,
  startTestGateway,
  type TestGateway,
  waitFor,
} from './test-support.js'

describe('subscribing with the centrifuge client', () => {
  const appId = newAppId()
  const otherApp = newAppId()
  const general = `chat:${appId}:general`
  const members = new FakeMembership().add(general, 'alice', 'bob').add(`chat:${otherApp}:secret`, 'alice')
  let gw: TestGateway
  const clients: Centrifuge[] = []

  const connect = async (userId: string, app = appId) => {
    const client = newClient(gw.url, { token: await signToken({ appId: app, userId }) })
    clients.push(client)
    client.connect()
    await client.ready(5000)
    return client
  }

  beforeAll(async () => {
    gw = await startTestGateway({
      authorizer: members,
      userChannels: (app, user) => members.channelsOf(app, user),
    })
  })
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect()
  })
  afterAll(() => gw.close())

  it('delivers messages to a member in order with contiguous offsets', async () => {
    const alice = await connect('alice')
    const sub = alice.newSubscription(general)
    const got: PublicationContext[] = []
    sub.on('publication', (p) => got.push(p))
    sub.subscribe()
    await sub.ready(5000)
    for (let i = 1; i <= 50; i++) {
      await gw.gateway.publisher.publish({ channel: general, data: { n: i } })
      // Another member coming online mid-stream: their presence announcement is an ephemeral
      // publication on the same channel (no offset), as alice's own can be under load.
      if (i === 25) await connect('bob')
    }
    // Only the durable publications are the stream under test.
    const messages = () => got.filter((p) => p.offset !== undefined)
    await waitFor(() => messages().length === 50)
    expect(messages().map((p) => (p.data as { n: number }).n)).toEqual(
      Array.from({ length: 50 }, (_, i) => i + 1),
    )
    const offsets = messages().map((p) => p.offset as number)
    expect(offsets.every((o, i) => i === 0 || o === (offsets[i - 1] as number) + 1)).toBe(true)
  })

  it('refuses a non-member with permission denied (103)', async () => {
    const carol = await connect('carol')
    const sub = carol.newSubscription(general)
    const unsubscribed = new Promise<{ code: number }>((resolve) => sub.on('unsubscribed', resolve))
    sub.subscribe()
    expect((await unsubscribed).code).toBe(103)
    expect(carol.state).toBe('connected')
  })

  it("refuses another tenant's channel even to a user who is a member there", async () => {
    const alice = await connect('alice')
    const sub = alice.newSubscription(`chat:${otherApp}:secret`)
    const unsubscribed = new Promise<{ code: number }>((resolve) => sub.on('unsubscribed', resolve))
    sub.subscribe()
    expect((await unsubscribed).code).toBe(103)
  })

  it('lets a subscription token open a channel to a non-member', async () => {
    const dave = await connect('dave')
    const sub = dave.newSubscription(general, {
      getToken: async () => signToken({ appId, userId: 'dave', channel: general, expInSeconds: 60 }),
    })
    sub.subscribe()
    await sub.ready(5000)
    expect(sub.state).toBe('subscribed')
  })

  it('answers presence, presence_stats and history, and pushes join and leave', async () => {
    const alice = await connect('alice')
    const aliceSub = alice.newSubscription(general, { joinLeave: true })
    const joins: string[] = []
    const leaves: string[] = []
    aliceSub.on('join', (ctx) => joins.push(ctx.info.user))
    aliceSub.on('leave', (ctx) => leaves.push(ctx.info.user))
    aliceSub.subscribe()
    await aliceSub.ready(5000)

    const bob = await connect('bob')
    const bobSub = bob.newSubscription(general)
    bobSub.subscribe()
    await bobSub.ready(5000)
    await waitFor(() => joins.includes('bob'))

    const stats = await aliceSub.presenceStats()
    expect(stats).toEqual({ numClients: 2, numUsers: 2 })
    const presence = await aliceSub.presence()
    expect(
      Object.values(presence.clients)
        .map((c) => c.user)
        .sort(),
    ).toEqual(['alice', 'bob'])

    await gw.gateway.publisher.publish({ channel: general, data: { text: 'h1' } })
    await gw.gateway.publisher.publish({ channel: general, data: { text: 'h2' } })
    const history = await aliceSub.history({ limit: 2, reverse: true })
    expect(history.publications.map((p) => (p.data as { text: string }).text)).toEqual(['h2', 'h1'])

    bobSub.unsubscribe()
    await waitFor(() => leaves.includes('bob'))
  })

  it('lets a member publish typing but nothing else, and rate-limits typing', async () => {
    const alice = await connect('alice')
    const bob = await connect('bob')
    const bobSub = bob.newSubscription(general)
    const typing: unknown[] = []
    bobSub.on('publication', (p) => {
      if (String(p.data.type).startsWith('typing.')) typing.push(p.data)
    })
    bobSub.subscribe()
    await bobSub.ready(5000)

    await alice.publish(general, { type: 'typing.start' })
    await waitFor(() => typing.length === 1)
    expect(typing[0]).toEqual({ type: 'typing.start', user: 'alice' })

    await expect(alice.publish(general, { type: 'message.new', text: 'forged' })).rejects.toMatchObject({
      code: 103,
    })
    await expect(alice.publish(`chat:${otherApp}:secret`, { type: 'typing.start' })).rejects.toMatchObject({
      code: 103,
    })
    const results = await Promise.allSettled(
      Array.from({ length: 10 }, () => alice.publish(general, { type: 'typing.start' })),
    )
    expect(results.some((r) => r.status === 'rejected' && (r.reason as { code: number }).code === 111)).toBe(
      true,
    )
  })

  it("tells a channel's readers when a member comes online and goes offline (first and last connection)", async () => {
    const alice = await connect('alice')
    const sub = alice.newSubscription(general)
    const seen: string[] = []
    sub.on('publication', (p) => {
      if (p.data.type === 'presence.changed') seen.push(`${p.data.payload.userId}:${p.data.payload.status}`)
    })
    sub.subscribe()
    await sub.ready(5000)
    const bob1 = await connect('bob')
    await waitFor(() => seen.includes('bob:online'))
    const bob2 = await connect('bob')
    bob1.disconnect()
    let bobConnections = 2
    while (bobConnections !== 1) {
      await new Promise((r) => setTimeout(r, 20))
      bobConnections = (await gw.gateway.publisher.presenceStats(`user:${appId}:bob`)).numClients
    }
    bob2.disconnect()
    await waitFor(() => seen.includes('bob:offline'))
    // The second connection neither announced online again nor went offline on its own.
    expect(seen.filter((s) => s.startsWith('bob:'))).toEqual(['bob:online', 'bob:offline'])
  })
})
