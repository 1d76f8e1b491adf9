import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, type Harness, seedApp, startHarness } from '../testing/harness.js'

/**
 * Security-relevant actions land in the kit audit log with actor, target, app, IP and request id,
 * and the audit routes show an app its own trail only.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
let other: Awaited<ReturnType<typeof seedApp>>

beforeAll(async () => {
  h = await startHarness('audit')
  S = await seedApp(h.app, 'audited', ['alice', 'bob', 'mallory'])
  other = await seedApp(h.app, 'someone else', ['alice'])
})
afterAll(async () => h?.close())

const trail = async (query = '') => (await S.server.get(`/v1/app/audit${query}`)).body.entries as any[]
const latest = async (action: string) => (await trail(`?action=${action}&limit=1`))[0]

describe('audit trail', () => {
  it('records app creation by the operator, with IP and the request id of the call', async () => {
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/admin/apps',
      headers: {
        authorization: `Bearer ${'test-admin-key-0123456789abcdef'}`,
        'content-type': 'application/json',
        'user-agent': 'ops-console/1.0',
      },
      payload: JSON.stringify({ name: 'fresh' }),
    })
    expect(created.statusCode).toBe(201)
    const appId = created.json().app.id
    const page = await client(h.app).admin.get(`/v1/admin/apps/${appId}/audit`)
    expect(page.status).toBe(200)
    expect(page.body.entries).toHaveLength(1)
    expect(page.body.entries[0]).toMatchObject({
      action: 'app.created',
      appId,
      actor: { type: 'admin' },
      target: { type: 'app', id: appId },
      outcome: 'success',
      ip: '127.0.0.1',
      userAgent: 'ops-console/1.0',
      requestId: created.headers['x-request-id'],
    })
  })

  it('records API keys created and revoked, by key id, never the secret', async () => {
    const created = await S.server.post('/v1/app/keys', { name: 'ci' })
    const revoked = await S.server.delete(`/v1/app/keys/${created.body.key.id}`)
    expect(revoked.status).toBe(200)
    const callerKeyId = (await S.server.get('/v1/app/keys')).body.keys.find((k: any) => k.name !== 'ci').id
    const createdEntry = await latest('apikey.created')
    expect(createdEntry).toMatchObject({
      actor: { type: 'api_key', id: callerKeyId },
      target: { type: 'api_key', id: created.body.key.id },
      metadata: { name: 'ci', prefix: created.body.key.prefix },
    })
    expect(JSON.stringify(await trail())).not.toContain(created.body.apiKey)
    expect(await latest('apikey.revoked')).toMatchObject({ target: { id: created.body.key.id } })
  })

  it('records token minting, refresh, and a reused refresh token as denied', async () => {
    const minted = await S.server.post('/v1/users/bob/tokens')
    expect(await latest('token.minted')).toMatchObject({
      target: { type: 'user', id: 'bob' },
      metadata: { sessionId: minted.body.sessionId },
    })
    const anonymous = client(h.app).anonymous
    const refreshed = await anonymous.post('/v1/tokens/refresh', { refreshToken: minted.body.refreshToken })
    expect(refreshed.status).toBe(200)
    expect(await latest('token.refreshed')).toMatchObject({
      actor: { type: 'user', id: 'bob' },
      appId: S.appId,
      target: { type: 'session', id: minted.body.sessionId },
    })
    const reused = await anonymous.post('/v1/tokens/refresh', { refreshToken: minted.body.refreshToken })
    expect(reused.body.code).toBe('refresh_token_reused')
    expect(await latest('token.refresh_reused')).toMatchObject({
      outcome: 'denied',
      target: { type: 'session', id: minted.body.sessionId },
    })
    const revoked = await S.server.post('/v1/users/bob/tokens/revoke', {})
    expect(revoked.status).toBe(200)
    expect(await latest('token.revoked')).toMatchObject({
      target: { id: 'bob' },
      metadata: { sessionId: 'all' },
    })
    const entries = JSON.stringify(await trail())
    expect(entries).not.toContain(minted.body.refreshToken.split('.')[1])
  })

  it('records app-wide role changes, and not an upsert that keeps the role', async () => {
    await S.server.put('/v1/users/bob', { name: 'Bob', role: 'admin' })
    await S.server.put('/v1/users/bob', { name: 'Bob again', role: 'admin' })
    const changes = await trail('?action=user.role_changed')
    expect(changes).toHaveLength(1)
    expect(changes[0]).toMatchObject({ target: { id: 'bob' }, metadata: { from: 'user', to: 'admin' } })
  })

  it('records bans, unbans, member role changes and channel deletion', async () => {
    expect((await S.server.post('/v1/moderation/bans', { userId: 'mallory', reason: 'spam' })).status).toBe(
      201,
    )
    expect((await S.server.delete('/v1/moderation/bans?userId=mallory')).status).toBe(204)
    expect(await latest('user.banned')).toMatchObject({
      target: { id: 'mallory' },
      metadata: { reason: 'spam' },
    })
    expect(await latest('user.unbanned')).toMatchObject({ target: { id: 'mallory' } })

    const alice = client(h.app).user((await S.server.post('/v1/users/alice/tokens')).body.accessToken)
    await alice.post('/v1/channels', { type: 'messaging', id: 'doomed', members: ['mallory'] })
    expect((await alice.patch('/v1/channels/doomed/members/mallory', { role: 'moderator' })).status).toBe(200)
    expect(await latest('member.role_changed')).toMatchObject({
      actor: { type: 'user', id: 'alice' },
      target: { type: 'user', id: 'mallory' },
      metadata: { channelId: 'doomed', to: 'moderator' },
    })
    expect((await alice.delete('/v1/channels/doomed')).status).toBe(204)
    const deleted = await latest('channel.deleted')
    expect(deleted).toMatchObject({
      actor: { type: 'user', id: 'alice' },
      target: { type: 'channel', id: 'doomed' },
    })
    expect(deleted.metadata.sessionId).toBeDefined()
  })

  it('records messages deleted by a moderator, not an author deleting their own', async () => {
    const alice = client(h.app).user((await S.server.post('/v1/users/alice/tokens')).body.accessToken)
    const bob = client(h.app).user((await S.server.post('/v1/users/bob/tokens')).body.accessToken)
    await alice.post('/v1/channels', { type: 'team', id: 'modroom', members: ['bob'] })
    const own = await alice.post('/v1/channels/modroom/messages', { text: 'mine' })
    const victim = await alice.post('/v1/channels/modroom/messages', { text: 'bad' })
    const hard = await alice.post('/v1/channels/modroom/messages', { text: 'worse' })
    const before = (await trail('?action=message.deleted')).length
    expect((await alice.delete(`/v1/messages/${own.body.message.id}`)).status).toBe(204)
    expect((await trail('?action=message.deleted')).length).toBe(before)
    // bob is an app admin (role changed above): a moderator for every channel
    expect((await bob.delete(`/v1/messages/${victim.body.message.id}`)).status).toBe(204)
    expect((await bob.delete(`/v1/messages/${hard.body.message.id}?hard=true`)).status).toBe(204)
    const entries = await trail('?action=message.deleted&limit=2')
    expect(entries[1]).toMatchObject({
      actor: { type: 'user', id: 'bob' },
      target: { type: 'message', id: victim.body.message.id },
      metadata: { channelId: 'modroom', authorId: 'alice', hard: false, as: 'moderator' },
    })
    expect(entries[0]).toMatchObject({
      target: { id: hard.body.message.id },
      metadata: { authorId: 'alice', hard: true },
    })
  })

  it('records webhook changes', async () => {
    const hook = await S.server.post('/v1/webhooks', { url: 'http://127.0.0.1:9/hook' })
    await S.server.patch(`/v1/webhooks/${hook.body.endpoint.id}`, { enabled: false })
    await S.server.delete(`/v1/webhooks/${hook.body.endpoint.id}`)
    const actions = (await trail(`?targetType=webhook&targetId=${hook.body.endpoint.id}`)).map(
      (e) => e.action,
    )
    expect(actions).toEqual(['webhook.deleted', 'webhook.updated', 'webhook.created'])
    expect(JSON.stringify(await trail('?targetType=webhook'))).not.toContain(hook.body.secret)
  })

  it('records privacy exports and erasures as request steps', async () => {
    await S.server.get('/v1/users/mallory/export')
    const steps = (await trail('?targetType=privacy_request&limit=3')).map((e) => e.action)
    expect(steps).toEqual([
      'privacy.request.completed',
      'privacy.request.verified',
      'privacy.request.requested',
    ])
  })

  it('shows each app only its own trail, pages newest first, and 404s an unknown app', async () => {
    const mine = await trail('?limit=1000')
    expect(mine.length).toBeGreaterThan(10)
    expect(mine.every((e) => e.appId === S.appId)).toBe(true)
    const theirs = (await other.server.get('/v1/app/audit?limit=1000')).body.entries
    expect(theirs.every((e: any) => e.appId === other.appId)).toBe(true)
    expect(theirs.map((e: any) => e.id)).not.toEqual(expect.arrayContaining([mine[0].id]))

    const first = (await S.server.get('/v1/app/audit?limit=3')).body
    expect(first.entries).toHaveLength(3)
    const second = (await S.server.get(`/v1/app/audit?limit=3&after=${first.next}`)).body
    expect(second.entries.map((e: any) => e.id)).toEqual(mine.slice(3, 6).map((e) => e.id))

    const admin = client(h.app).admin
    expect((await admin.get(`/v1/admin/apps/${S.appId}/audit?limit=1000`)).body.entries).toHaveLength(
      mine.length,
    )
    const unknown = await admin.get('/v1/admin/apps/01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70/audit')
    expect(unknown.status).toBe(404)
    // a backend key is not the operator, and the operator route wants the admin key
    expect((await S.server.get(`/v1/admin/apps/${S.appId}/audit`)).status).toBe(401)
    expect((await S.server.get('/v1/app/audit?from=yesterday')).status).toBe(400)
  })

  it('cannot be rewritten, even by the app database user', async () => {
    await expect(
      sql`update audit_log set action = 'nothing happened'`.execute(h.database.kysely),
    ).rejects.toThrow(/append-only/)
  })
})

describe('audit retention', () => {
  it('purges entries past AUDIT_RETENTION_DAYS through the kit purge, which audits itself', async () => {
    const policy = h.app.chat.services.privacy.retentionPolicies.find((p) => p.name === 'chat.audit_log')
    expect(policy).toBeDefined()
    await sql`insert into audit_log (id, occurred_at, app_id, actor_type, action)
              values (gen_random_uuid(), now() - interval '500 days', ${S.appId}, 'system', 'ancient.event')`.execute(
      h.database.kysely,
    )
    expect((await trail('?action=ancient.event')).length).toBe(1)
    expect(await policy!.purge(new Date())).toBeGreaterThanOrEqual(1)
    expect((await trail('?action=ancient.event')).length).toBe(0)
    // recent history stays
    expect((await trail('?action=app.created')).length).toBeGreaterThan(0)
    const { rows } = await sql<{
      n: number
    }>`select count(*)::int as n from audit_log where action = 'audit.retention_purge'`.execute(
      h.database.kysely,
    )
    expect(rows[0]!.n).toBeGreaterThanOrEqual(1)
  })
})
