import { sql } from 'kysely'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness('retention')
})
afterAll(async () => h?.close())

it('purges messages older than the app retention period, and only in that app', async () => {
  const keep = await seedApp(h.app, 'keeps forever', ['alice'])
  const purge = await seedApp(h.app, 'keeps 30 days', ['alice'])
  expect((await purge.server.patch('/v1/app', { settings: { retentionDays: 30 } })).status).toBe(200)
  for (const tenant of [keep, purge]) {
    await tenant.users.alice!.post('/v1/channels', { type: 'team', id: 'room', members: [] })
    await tenant.users.alice!.post('/v1/channels/room/messages', { text: 'old' })
    await tenant.users.alice!.post('/v1/channels/room/messages', { text: 'new' })
  }
  await sql`update messages set created_at = now() - interval '40 days' where text = 'old'`.execute(
    h.database.kysely,
  )
  const purged = await h.app.chat.purgeExpired()
  expect(purged.messages).toBe(1)
  const texts = async (tenant: typeof keep) =>
    (await tenant.users.alice!.get('/v1/channels/room/messages')).body.messages.map((m: any) => m.text)
  expect(await texts(keep)).toEqual(['old', 'new'])
  expect(await texts(purge)).toEqual(['new'])
})
