import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { migrate } from '../db/migrate.js'
import { createTestDatabase } from '../db/test-database.js'
import type { Database } from '../db/types.js'
import { requestContext } from '../logging/request-context.js'
import { AuditLog } from './audit-log.js'
import { kitMigrationsDir } from './migrations-dir.js'
import { auditSuspiciousSessions } from './session-hook.js'

let database: Database
let audit: AuditLog

beforeAll(async () => {
  database = await createTestDatabase('kit_audit')
  await migrate(database, { dir: kitMigrationsDir })
  audit = new AuditLog(database)
})
afterAll(async () => {
  await database?.close()
})

describe('audit log', () => {
  it('records who, what, when, from where and to what', async () => {
    const before = Date.now()
    const record = await audit.record({
      action: 'apikey.created',
      actor: { type: 'user', id: 'u-1' },
      target: { type: 'api_key', id: 'sk_abc' },
      appId: 'app-1',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      requestId: 'req-1',
      metadata: { scopes: ['read'], nested: { n: 1 } },
    })
    expect(record.id).toMatch(/^[0-9a-f-]{36}$/)
    expect(new Date(record.occurredAt).getTime()).toBeGreaterThanOrEqual(before - 5_000)
    expect(record).toMatchObject({
      action: 'apikey.created',
      actor: { type: 'user', id: 'u-1' },
      target: { type: 'api_key', id: 'sk_abc' },
      appId: 'app-1',
      outcome: 'success',
      ip: '203.0.113.9',
      userAgent: 'curl/8',
      requestId: 'req-1',
      metadata: { scopes: ['read'], nested: { n: 1 } },
    })
  })

  it('takes the request id from the request context', async () => {
    const record = await requestContext.run({ requestId: 'ctx-req-7', traceId: 'a'.repeat(32) }, () =>
      audit.record({ action: 'login', actor: { type: 'user', id: 'ctx-user' } }),
    )
    expect(record.requestId).toBe('ctx-req-7')
  })

  it('commits or rolls back with the caller transaction', async () => {
    await database.kysely.transaction().execute(async (trx) => {
      await audit.record({ action: 'tx.committed', actor: { type: 'user', id: 'tx-user' } }, trx)
    })
    await expect(
      database.kysely.transaction().execute(async (trx) => {
        await audit.record({ action: 'tx.rolled_back', actor: { type: 'user', id: 'tx-user' } }, trx)
        throw new Error('business rule failed')
      }),
    ).rejects.toThrow('business rule failed')
    expect((await audit.query({ actorId: 'tx-user' })).map((r) => r.action)).toEqual(['tx.committed'])
  })

  it('refuses UPDATE, DELETE and TRUNCATE', async () => {
    const record = await audit.record({ action: 'thing.done', actor: { type: 'system' } })
    await expect(
      database.kysely
        .updateTable('audit_log')
        .set({ action: 'rewritten' })
        .where('id', '=', record.id)
        .execute(),
    ).rejects.toThrow(/append-only/)
    await expect(
      database.kysely.deleteFrom('audit_log').where('id', '=', record.id).execute(),
    ).rejects.toThrow(/append-only/)
    await expect(sql`truncate audit_log`.execute(database.kysely)).rejects.toThrow(/append-only/)
    const [still] = await audit.query({ actorType: 'system', action: 'thing.done' })
    expect(still?.id).toBe(record.id)
  })

  it('queries by actor, target, action, app and time, newest first, with paging', async () => {
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push(
        (
          await audit.record({
            action: i % 2 ? 'channel.deleted' : 'channel.created',
            actor: { type: 'user', id: 'query-actor' },
            target: { type: 'channel', id: `ch-${i}` },
            appId: i < 4 ? 'query-app' : 'other-app',
          })
        ).id,
      )
    }
    const byActor = await audit.query({ actorId: 'query-actor' })
    expect(byActor.map((r) => r.id)).toEqual([...ids].reverse())
    expect((await audit.query({ targetType: 'channel', targetId: 'ch-3' })).map((r) => r.id)).toEqual([
      ids[3],
    ])
    expect(await audit.query({ actorId: 'query-actor', action: 'channel.deleted' })).toHaveLength(2)
    expect(await audit.query({ actorId: 'query-actor', appId: 'query-app' })).toHaveLength(4)
    const page1 = await audit.query({ actorId: 'query-actor', limit: 2 })
    const page2 = await audit.query({ actorId: 'query-actor', limit: 2, after: page1.at(-1)!.id })
    expect([...page1, ...page2].map((r) => r.id)).toEqual(byActor.slice(0, 4).map((r) => r.id))
    expect(await audit.query({ actorId: 'query-actor', to: new Date(Date.now() - 3_600_000) })).toEqual([])
    expect(
      await audit.query({ actorId: 'query-actor', from: new Date(Date.now() - 3_600_000) }),
    ).toHaveLength(5)
  })

  it('purges records past retention through the one allowed path, and audits the purge', async () => {
    await audit.record({ action: 'old.thing', actor: { type: 'system', id: 'retention-test' } })
    const deleted = await audit.purgeOlderThan(new Date(Date.now() + 60_000))
    expect(deleted).toBeGreaterThan(0)
    expect(await audit.query({ actorId: 'retention-test' })).toEqual([])
    const [purge] = await audit.query({ action: 'audit.retention_purge' })
    expect(purge?.metadata).toMatchObject({ deleted })
    // The flag was transaction-local: plain deletes are refused again.
    await expect(database.kysely.deleteFrom('audit_log').execute()).rejects.toThrow(/append-only/)
  })

  it('writes suspicious session signals through the session hook', async () => {
    const hook = auditSuspiciousSessions(audit, 'app-s')
    await hook({
      signal: 'replay',
      userId: 'victim',
      sessionId: 'abcdefghijklmnopqrstuvwxyz0123456789ABCDEFG',
      detail: 'a rotated-out session id was presented',
      at: new Date().toISOString(),
      revoked: true,
      ip: '192.0.2.1',
    })
    const [entry] = await audit.query({ actorId: 'victim' })
    expect(entry).toMatchObject({
      action: 'session.suspicious.replay',
      outcome: 'denied',
      appId: 'app-s',
      target: { type: 'session', id: 'abcdefgh' },
    })
  })
})
