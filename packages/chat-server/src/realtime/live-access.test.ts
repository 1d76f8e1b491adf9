/**
 * What REST takes away, the socket takes away too (built-in gateway, through the real API): a
 * removed or banned member loses the channel's stream and presence at once, `sub_refresh` and
 * `refresh` re-check access, revoked and app-banned users are disconnected. With REDIS_URL a
 * second API node shows the same holds for a user connected to another node than the one acting.
 */
import { randomUUID } from 'node:crypto'
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateChatSchema } from '../main.js'
import { seedApp } from '../testing/harness.js'
import { connectRaw, startRealtimeNode } from '../testing/realtime-node.js'
import { RawClient, waitFor } from './test-support.js'

const SERVER_UNSUBSCRIBE = 2000

describe('live sockets lose what REST takes away', () => {
  let database: Database
  const nodes: App[] = []
  const urls: string[] = []
  const sockets: RawClient[] = []
  let seeded: Awaited<ReturnType<typeof seedApp>>
  let ids = 100
  const chat = (channelId: string) => `chat:${seeded.appId}:${channelId}`

  const startNode = async (prefix: string) => {
    const node = await startRealtimeNode(database, prefix)
    nodes.push(node.app)
    urls.push(node.wsUrl)
  }

  /** A raw protocol connection for `userId` on node `node`, subscribed to `channels`. */
  const connect = async (userId: string, channels: string[] = [], node = 0) => {
    const token = (await seeded.users[userId]!.post('/v1/me/tokens/connection')).body.connectionToken
    const socket = await connectRaw(urls[node]!, token, channels)
    sockets.push(socket)
    return socket
  }
  const messagesOn = (socket: RawClient, channel: string) =>
    socket
      .pushes(channel)
      .filter((p) => p.pub?.data?.type === 'message.new')
      .map((p) => p.pub.data.payload.message.text)
  const presenceUsers = async (socket: RawClient, channel: string) => {
    const reply = await socket.call({ id: ids++, presence: { channel } })
    return Object.values(reply.presence.presence as Record<string, { user: string }>).map((info) => info.user)
  }
  const send = async (channelId: string, text: string) =>
    expect((await seeded.users.alice!.post(`/v1/channels/${channelId}/messages`, { text })).status).toBe(201)
  const privateChannel = async (id: string, members: string[]) =>
    expect((await seeded.users.alice!.post('/v1/channels', { type: 'messaging', id, members })).status).toBe(
      201,
    )

  beforeAll(async () => {
    database = await createTestDatabase('rt_live_access')
    await migrateChatSchema(database)
    const prefix = `test:live:${randomUUID()}:`
    await startNode(prefix)
    // A second node only means something with a shared broker.
    if (process.env.REDIS_URL) await startNode(prefix)
    seeded = await seedApp(nodes[0]!, 'live', ['alice', 'bob', 'carol', 'dave', 'erin', 'frank', 'gina'])
  }, 60_000)

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate()
    for (const node of nodes) await node.close()
    await database?.close()
  })

  it('a removed member is unsubscribed at once: no later message, gone from presence, no re-subscribe', async () => {
    await privateChannel('removal', ['bob'])
    const alice = await connect('alice', [chat('removal')])
    const bob = await connect('bob', [chat('removal')])
    await send('removal', 'before')
    await waitFor(() => messagesOn(bob, chat('removal')).includes('before'), 10_000, 'bob sees before')
    expect(await presenceUsers(alice, chat('removal'))).toContain('bob')

    expect((await seeded.users.alice!.delete('/v1/channels/removal/members/bob')).status).toBe(204)
    await waitFor(() => bob.pushes(chat('removal')).some((p) => p.unsubscribe), 10_000, 'server unsubscribe')
    expect(bob.pushes(chat('removal')).find((p) => p.unsubscribe)?.unsubscribe.code).toBe(SERVER_UNSUBSCRIBE)
    await send('removal', 'after')
    await waitFor(() => messagesOn(alice, chat('removal')).includes('after'), 10_000, 'alice sees after')
    expect(messagesOn(bob, chat('removal'))).not.toContain('after')
    expect(await presenceUsers(alice, chat('removal'))).not.toContain('bob')
    expect((await bob.call({ id: ids++, subscribe: { channel: chat('removal') } })).error?.code).toBe(103)
    expect((await bob.call({ id: ids++, sub_refresh: { channel: chat('removal') } })).error?.code).toBe(103)
  })

  it('sub_refresh re-checks access and ends the subscription when it is gone', async () => {
    await privateChannel('subrefresh', ['carol'])
    const carol = await connect('carol', [chat('subrefresh')])
    // membership lost without any realtime event: only the re-check can notice
    await database.kysely
      .deleteFrom('members')
      .where('app_id', '=', seeded.appId)
      .where('channel_id', '=', 'subrefresh')
      .where('user_id', '=', 'carol')
      .execute()
    const reply = await carol.call({ id: ids++, sub_refresh: { channel: chat('subrefresh') } })
    expect(reply.error?.code).toBe(103)
    expect(carol.pushes(chat('subrefresh')).some((p) => p.unsubscribe)).toBe(true)
    expect((await carol.call({ id: ids++, presence: { channel: chat('subrefresh') } })).error?.code).toBe(103)
  })

  it('refresh with a fresh connection token re-checks every subscription', async () => {
    await privateChannel('refresh', ['dave'])
    await privateChannel('kept', ['dave'])
    const dave = await connect('dave', [chat('refresh'), chat('kept')])
    await database.kysely
      .deleteFrom('members')
      .where('app_id', '=', seeded.appId)
      .where('channel_id', '=', 'refresh')
      .where('user_id', '=', 'dave')
      .execute()
    const token = (await seeded.users.dave!.post('/v1/me/tokens/connection')).body.connectionToken
    expect((await dave.call({ id: ids++, refresh: { token } })).refresh).toBeDefined()
    await waitFor(
      () => dave.pushes(chat('refresh')).some((p) => p.unsubscribe),
      10_000,
      'refresh unsubscribe',
    )
    expect(dave.pushes(chat('kept')).some((p) => p.unsubscribe)).toBe(false)
  })

  it('a channel ban unsubscribes the banned member', async () => {
    await privateChannel('banned', ['erin'])
    const erin = await connect('erin', [chat('banned')])
    expect(
      (await seeded.users.alice!.post('/v1/moderation/bans', { userId: 'erin', channelId: 'banned' })).status,
    ).toBe(201)
    await waitFor(() => erin.pushes(chat('banned')).some((p) => p.unsubscribe), 10_000, 'ban unsubscribe')
    expect((await erin.call({ id: ids++, subscribe: { channel: chat('banned') } })).error?.code).toBe(103)
  })

  it('revoking a user’s tokens closes their sockets on every node; the old token cannot come back', async () => {
    const token = (await seeded.users.frank!.post('/v1/me/tokens/connection')).body.connectionToken
    const here = await connect('frank')
    const there = await connect('frank', [], urls.length - 1)
    expect((await seeded.server.post('/v1/users/frank/tokens/revoke', {})).status).toBe(200)
    expect((await here.closed).code).toBe(3011)
    expect((await there.closed).code).toBe(3011)
    const again = await RawClient.open(urls[0]!)
    sockets.push(again)
    again.ws.send(JSON.stringify({ id: 1, connect: { token } }))
    expect((await again.closed).code).toBe(3500)
  })

  it('an app-wide ban closes the user’s sockets for good and refuses a new connect', async () => {
    const token = (await seeded.users.gina!.post('/v1/me/tokens/connection')).body.connectionToken
    const gina = await connect('gina', [], urls.length - 1)
    expect((await seeded.server.post('/v1/moderation/bans', { userId: 'gina' })).status).toBe(201)
    const closed = await gina.closed
    expect(closed.code).toBe(3503)
    expect(JSON.parse(closed.reason).reconnect).toBe(false)
    const again = await RawClient.open(urls[0]!)
    sockets.push(again)
    again.ws.send(JSON.stringify({ id: 1, connect: { token } }))
    expect((await again.closed).code).toBe(3500)
    expect((await seeded.users.gina!.post('/v1/me/tokens/connection')).status).toBe(403)
  })
})
