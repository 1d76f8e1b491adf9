import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

/**
 * A change and its audit entry commit together. With audit inserts failing (a trigger stands in for
 * a full disk or a lost constraint), each audited change answers 503 audit_unavailable and leaves
 * nothing behind: no row, no outbox event, no revoked token. Once inserts work again, the same
 * request succeeds and is on the trail, so the 503 came from the audit write alone.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>

beforeAll(async () => {
  h = await startHarness('audit_rollback')
  S = await seedApp(h.app, 'audited', ['alice', 'bob', 'mallory'])
  await S.users.alice!.post('/v1/channels', { type: 'messaging', id: 'kept', members: ['bob'] })
  await sql`
    create function refuse_audit() returns trigger language plpgsql as $$
    begin
      raise exception 'audit storage unavailable';
    end;
    $$`.execute(h.database.kysely)
})
afterAll(async () => h?.close())

async function withAuditFailing<T>(work: () => Promise<T>): Promise<T> {
  await sql`create trigger refuse_audit before insert on audit_log for each row execute function refuse_audit()`.execute(
    h.database.kysely,
  )
  try {
    return await work()
  } finally {
    await sql`drop trigger refuse_audit on audit_log`.execute(h.database.kysely)
  }
}

function expectAuditProblem(response: { status: number; body: any; headers: Record<string, unknown> }) {
  expect(response.status).toBe(503)
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  expect(response.body).toMatchObject({ status: 503, code: 'audit_unavailable' })
}

const trail = async (action: string) =>
  (await S.server.get(`/v1/app/audit?action=${action}`)).body.entries as { target: { id: string } }[]

const outboxCount = async (type: string) =>
  Number(
    (
      await h.database.kysely
        .selectFrom('outbox')
        .select((eb) => eb.fn.countAll<string>().as('n'))
        .where('app_id', '=', S.appId)
        .where('type', '=', type)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe('an audit entry that cannot be written', () => {
  it('takes back a new API key', async () => {
    const before = (await S.server.get('/v1/app/keys')).body.keys.length
    expectAuditProblem(await withAuditFailing(() => S.server.post('/v1/app/keys', { name: 'unrecorded' })))
    expect((await S.server.get('/v1/app/keys')).body.keys).toHaveLength(before)

    const created = await S.server.post('/v1/app/keys', { name: 'recorded' })
    expect(created.status).toBe(201)
    expect((await trail('apikey.created')).map((entry) => entry.target.id)).toContain(created.body.key.id)
  })

  it('takes back a settings change', async () => {
    expectAuditProblem(
      await withAuditFailing(() => S.server.patch('/v1/app', { settings: { profanity: 'reject' } })),
    )
    expect((await S.server.get('/v1/app')).body.app.settings.profanity).toBeUndefined()
  })

  it('takes back a ban and the realtime event that would have announced it', async () => {
    expectAuditProblem(
      await withAuditFailing(() => S.server.post('/v1/moderation/bans', { userId: 'mallory' })),
    )
    expect((await S.server.get('/v1/moderation/bans')).body.bans).toEqual([])
    expect(await outboxCount('user.banned')).toBe(0)
    // mallory still posts: the ban was never in force
    expect((await S.users.mallory!.get('/v1/me')).status).toBe(200)
  })

  it('takes back a token revocation: the tokens keep working', async () => {
    expectAuditProblem(await withAuditFailing(() => S.server.post('/v1/users/bob/tokens/revoke', {})))
    expect((await S.users.bob!.get('/v1/me')).status).toBe(200)
    expect(await outboxCount('control.disconnect')).toBe(0)
  })

  it('takes back a channel deletion and a moderator deleting a message', async () => {
    const sent = await S.users.bob!.post('/v1/channels/kept/messages', { text: 'stays' })
    expect(sent.status).toBe(201)
    const messageId = sent.body.message.id
    expectAuditProblem(
      await withAuditFailing(() => S.users.alice!.delete(`/v1/messages/${messageId}?hard=true`)),
    )
    expectAuditProblem(await withAuditFailing(() => S.users.alice!.delete('/v1/channels/kept')))
    const page = await S.users.alice!.get('/v1/channels/kept/messages')
    expect(page.status).toBe(200)
    expect(
      page.body.messages.map((message: { id: string; text: string }) => [message.id, message.text]),
    ).toEqual([[messageId, 'stays']])
  })
})
