/**
 * GDPR erasure reaches the realtime copies: after `DELETE /v1/me`, another member's WebSocket
 * `history` no longer holds the erased user's words, nor does any outbox row, and the erased
 * user's sockets are closed.
 */
import { randomUUID } from 'node:crypto'
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrateChatSchema } from '../main.js'
import type { RawClient } from '../realtime/test-support.js'
import { sleep, waitFor } from '../realtime/test-support.js'
import { seedApp } from '../testing/harness.js'
import { connectRaw, startRealtimeNode } from '../testing/realtime-node.js'

describe('erasure purges realtime history and the outbox', () => {
  let database: Database
  let node: { app: App; wsUrl: string }
  let seeded: Awaited<ReturnType<typeof seedApp>>
  const sockets: RawClient[] = []
  const SECRET = 'my home address is 12 Secret Lane'

  beforeAll(async () => {
    database = await createTestDatabase('privacy_erasure_rt')
    await migrateChatSchema(database)
    node = await startRealtimeNode(database, `test:erase:${randomUUID()}:`)
    seeded = await seedApp(node.app, 'erase', ['alice', 'bob'])
  }, 60_000)

  afterAll(async () => {
    for (const socket of sockets) socket.ws.terminate()
    await node?.app.close()
    await database?.close()
  })

  it("another member's history no longer returns the erased user's text", async () => {
    const channel = `chat:${seeded.appId}:room`
    expect(
      (await seeded.users.alice!.post('/v1/channels', { type: 'messaging', id: 'room', members: ['bob'] }))
        .status,
    ).toBe(201)
    const token = async (user: string) =>
      (await seeded.users[user]!.post('/v1/me/tokens/connection')).body.connectionToken as string
    const alice = await connectRaw(node.wsUrl, await token('alice'), [channel])
    const bob = await connectRaw(node.wsUrl, await token('bob'), [channel])
    sockets.push(alice, bob)
    expect((await seeded.users.bob!.post('/v1/channels/room/messages', { text: SECRET })).status).toBe(201)
    expect((await seeded.users.alice!.post('/v1/channels/room/messages', { text: 'noted' })).status).toBe(201)
    const history = async () => {
      const reply = await alice.call({
        id: Math.floor(Math.random() * 1e9),
        history: { channel, limit: 100 },
      })
      return JSON.stringify(reply.history.publications)
    }
    await waitFor(
      () => alice.pushes(channel).some((p) => p.pub?.data?.payload?.message?.text === 'noted'),
      10_000,
      'noted',
    )
    expect(await history()).toContain(SECRET)

    expect((await seeded.users.bob!.delete('/v1/me')).status).toBeLessThan(300)
    expect((await bob.closed).code).toBe(3503)
    // the relay carries the history removal out shortly after the erasure commits
    let after = await history()
    for (const deadline = Date.now() + 10_000; after.includes(SECRET) && Date.now() < deadline; ) {
      await sleep(50)
      after = await history()
    }
    expect(after).not.toContain(SECRET)
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from outbox where payload::text like ${`%${SECRET}%`}`.execute(
      database.kysely,
    )
    expect(rows[0]?.n).toBe(0)
    // the database, which clients reload from, holds only the tombstone
    const page = await seeded.users.alice!.get('/v1/channels/room/messages')
    expect(JSON.stringify(page.body)).not.toContain(SECRET)
  })
})
