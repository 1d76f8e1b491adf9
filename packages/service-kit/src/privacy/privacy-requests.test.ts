import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { AuditLog } from '../audit/audit-log.js'
import { migrate } from '../db/migrate.js'
import { createTestDatabase } from '../db/test-database.js'
import type { Database } from '../db/types.js'
import { kitMigrationsDir } from './index.js'
import { PrivacyRegistry } from './registry.js'
import { PrivacyRequestStateError, PrivacyRequests } from './requests.js'

let database: Database
let audit: AuditLog
let requests: PrivacyRequests
let failNextErase = false

const operator = { actor: { type: 'admin', id: 'op-1' }, ip: '198.51.100.1' }
const subjectActor = { actor: { type: 'user', id: 'alice' } }

beforeAll(async () => {
  database = await createTestDatabase('kit_privacy')
  await migrate(database, { dir: kitMigrationsDir })
  // A stand-in product table, scoped by app_id as product tables are.
  await sql`create table notes (id serial primary key, app_id text not null, owner text not null, body text not null)`.execute(
    database.kysely,
  )
  await database.kysely
    .insertInto('notes')
    .values([
      { app_id: 'app-a', owner: 'alice', body: 'alice note 1' },
      { app_id: 'app-a', owner: 'alice', body: 'alice, "quoted"' },
      { app_id: 'app-b', owner: 'alice', body: 'alice in another tenant' },
      { app_id: 'app-a', owner: 'bob', body: 'bob note' },
    ])
    .execute()
  audit = new AuditLog(database)
  const registry = new PrivacyRegistry()
    .registerExporter({
      name: 'notes',
      export: async ({ subjectId, appId }) =>
        database.kysely
          .selectFrom('notes')
          .select(['id', 'body'])
          .where('owner', '=', subjectId)
          .where('app_id', '=', appId!)
          .orderBy('id')
          .execute(),
    })
    .registerEraser({
      name: 'notes',
      erase: async ({ subjectId, appId }) => {
        if (failNextErase) {
          failNextErase = false
          throw new Error('storage unavailable')
        }
        const result = await database.kysely
          .deleteFrom('notes')
          .where('owner', '=', subjectId)
          .where('app_id', '=', appId!)
          .executeTakeFirst()
        return { erased: Number(result.numDeletedRows) }
      },
    })
  requests = new PrivacyRequests(database, registry, audit)
})
afterAll(async () => {
  await database?.close()
})

describe('privacy requests', () => {
  it('runs an access request through requested -> verified -> done and returns the export', async () => {
    const requested = await requests.request(
      { subjectId: 'alice', kind: 'access', appId: 'app-a' },
      subjectActor,
    )
    expect(requested).toMatchObject({
      status: 'requested',
      kind: 'access',
      format: 'json',
      requestedBy: 'user:alice',
    })
    const verified = await requests.verify(requested.id, { ...operator, method: 'email-link' })
    expect(verified).toMatchObject({ status: 'verified', verifiedBy: 'admin:op-1' })
    expect(verified.verifiedAt).not.toBeNull()
    const { request, files } = await requests.fulfil(requested.id, operator)
    expect(request.status).toBe('done')
    expect(request.result).toEqual({ sections: { notes: 2 }, files: ['export.json'] })
    const exported = JSON.parse(files![0]!.content)
    expect(exported.subjectId).toBe('alice')
    expect(exported.sections.notes.map((n: { body: string }) => n.body)).toEqual([
      'alice note 1',
      'alice, "quoted"',
    ])

    const trail = await audit.query({ targetType: 'privacy_request', targetId: requested.id })
    expect(trail.map((e) => e.action).reverse()).toEqual([
      'privacy.request.requested',
      'privacy.request.verified',
      'privacy.request.completed',
    ])
    expect(trail[1]).toMatchObject({
      actor: { type: 'admin', id: 'op-1' },
      ip: '198.51.100.1',
      metadata: { method: 'email-link' },
    })
  })

  it('gives portability exports as CSV', async () => {
    const r = await requests.request(
      { subjectId: 'alice', kind: 'portability', appId: 'app-a', format: 'csv' },
      subjectActor,
    )
    await requests.verify(r.id, operator)
    const { files } = await requests.fulfil(r.id, operator)
    expect(files).toHaveLength(1)
    expect(files![0]).toMatchObject({ name: 'notes.csv', contentType: 'text/csv; charset=utf-8' })
    expect(files![0]!.content).toMatch(/^id,body\r\n\d+,alice note 1\r\n\d+,"alice, ""quoted"""\r\n$/)
  })

  it('refuses to fulfil an unverified request and to verify a finished one', async () => {
    const r = await requests.request({ subjectId: 'alice', kind: 'erasure', appId: 'app-a' }, subjectActor)
    await expect(requests.fulfil(r.id, operator)).rejects.toBeInstanceOf(PrivacyRequestStateError)
    await expect(requests.fulfil(r.id, operator)).rejects.toMatchObject({
      code: 'invalid_transition',
      status: 'requested',
    })
    await requests.reject(r.id, { ...operator, reason: 'identity not confirmed' })
    await expect(requests.verify(r.id, operator)).rejects.toMatchObject({ status: 'rejected' })
    await expect(requests.verify('0190f0f0-0000-7000-8000-000000000000', operator)).rejects.toThrow(
      /not found/,
    )
    const [rejected] = await audit.query({ targetId: r.id, action: 'privacy.request.rejected' })
    expect(rejected?.metadata).toMatchObject({ reason: 'identity not confirmed' })
  })

  it('erases only the subject in the requested tenant, and audits a failed attempt before the retry', async () => {
    const r = await requests.request({ subjectId: 'alice', kind: 'erasure', appId: 'app-a' }, subjectActor)
    await requests.verify(r.id, operator)

    failNextErase = true
    await expect(requests.fulfil(r.id, operator)).rejects.toThrow('storage unavailable')
    expect(await requests.get(r.id)).toMatchObject({ status: 'verified', error: 'storage unavailable' })

    const { request, erasure } = await requests.fulfil(r.id, operator)
    expect(request.status).toBe('done')
    expect(erasure).toEqual({ notes: { erased: 2 } })
    const left = await database.kysely.selectFrom('notes').select(['owner', 'app_id']).orderBy('id').execute()
    expect(left).toEqual([
      { owner: 'alice', app_id: 'app-b' },
      { owner: 'bob', app_id: 'app-a' },
    ])
    const actions = (await audit.query({ targetId: r.id })).map((e) => [e.action, e.outcome]).reverse()
    expect(actions).toEqual([
      ['privacy.request.requested', 'success'],
      ['privacy.request.verified', 'success'],
      ['privacy.request.failed', 'failure'],
      ['privacy.request.completed', 'success'],
    ])
  })

  it('fulfils a request once even when two workers race', async () => {
    const r = await requests.request({ subjectId: 'bob', kind: 'access', appId: 'app-a' }, subjectActor)
    await requests.verify(r.id, operator)
    const outcomes = await Promise.allSettled([
      requests.fulfil(r.id, operator),
      requests.fulfil(r.id, operator),
    ])
    expect(outcomes.filter((o) => o.status === 'fulfilled')).toHaveLength(1)
    expect(outcomes.filter((o) => o.status === 'rejected')).toHaveLength(1)
    expect(await audit.query({ targetId: r.id, action: 'privacy.request.completed' })).toHaveLength(1)
  })

  it('lists a subject’s requests', async () => {
    const all = await requests.list({ subjectId: 'alice', appId: 'app-a' })
    expect(all.length).toBeGreaterThanOrEqual(4)
    expect(all.every((r) => r.subjectId === 'alice')).toBe(true)
    expect((await requests.list({ subjectId: 'alice', status: 'rejected' })).length).toBe(1)
  })
})
