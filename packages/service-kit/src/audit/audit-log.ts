import { type Kysely, type Selectable, sql } from 'kysely'
import type { Database } from '../db/types.js'
import { uuidv7 } from '../http/uuidv7.js'
import { currentCorrelationIds } from '../logging/request-context.js'
import type { KitDatabase } from './kit-tables.js'
import type { AuditEntry, AuditQuery, AuditRecord } from './types.js'

type AuditRow = Selectable<KitDatabase['audit_log']>

/**
 * Kysely is invariant in its database type, so a product's `Kysely<ProductDatabase>` is not a
 * `Kysely<KitDatabase>` to the compiler although it has every kit table with the same columns
 * (ProductDatabase extends KitDatabase). The audit log queries only its own table through it.
 */
function kitView<DB extends KitDatabase>(db: Kysely<DB>): Kysely<KitDatabase> {
  return db as unknown as Kysely<KitDatabase>
}

/**
 * The audit log over the `audit_log` table (kit migration kit_0001). Writes only insert; the
 * table's triggers refuse UPDATE, DELETE and TRUNCATE, so not even a bug here can rewrite history.
 */
export class AuditLog {
  private readonly db: Kysely<KitDatabase>

  /** `database` holds the kit tables (its migrations applied `kitMigrationsDir`). */
  constructor(database: Database) {
    this.db = kitView(database.kysely)
  }

  /**
   * Appends one entry. Pass the product's transaction as `executor` to commit the audit record
   * atomically with the change it describes: when the insert fails, the change rolls back with it.
   */
  async record<DB extends KitDatabase>(entry: AuditEntry, executor?: Kysely<DB>): Promise<AuditRecord> {
    const id = uuidv7()
    // The request id comes from the request context when the caller does not pass one.
    const requestId = entry.requestId ?? currentCorrelationIds().requestId ?? null
    const row = await (executor ? kitView(executor) : this.db)
      .insertInto('audit_log')
      .values({
        id,
        app_id: entry.appId ?? null,
        actor_type: entry.actor.type,
        actor_id: entry.actor.id ?? null,
        action: entry.action,
        target_type: entry.target?.type ?? null,
        target_id: entry.target?.id ?? null,
        outcome: entry.outcome ?? 'success',
        ip: entry.ip ?? null,
        user_agent: entry.userAgent ?? null,
        request_id: requestId,
        metadata: sql`${JSON.stringify(entry.metadata ?? {})}::jsonb`,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return toRecord(row)
  }

  /** Newest first; filters combine with AND. Page on with `after: lastRecord.id`. */
  async query(filter: AuditQuery = {}): Promise<AuditRecord[]> {
    let query = this.db.selectFrom('audit_log').selectAll()
    if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId)
    if (filter.actorId !== undefined) query = query.where('actor_id', '=', filter.actorId)
    if (filter.actorType !== undefined) query = query.where('actor_type', '=', filter.actorType)
    if (filter.targetType !== undefined) query = query.where('target_type', '=', filter.targetType)
    if (filter.targetId !== undefined) query = query.where('target_id', '=', filter.targetId)
    if (filter.action !== undefined) query = query.where('action', '=', filter.action)
    if (filter.from) query = query.where('occurred_at', '>=', filter.from)
    if (filter.to) query = query.where('occurred_at', '<', filter.to)
    // UUIDv7 ids sort by creation time, so the id is a stable cursor for newest-first pages.
    if (filter.after) query = query.where('id', '<', filter.after)
    const limit = Math.min(Math.max(filter.limit ?? 100, 1), 1000)
    const rows = await query.orderBy('id', 'desc').limit(limit).execute()
    return rows.map(toRecord)
  }

  /**
   * Retention: deletes records older than `before`, the one deletion the table allows. The flag
   * is transaction-local, so no other statement can use it; the purge is itself audited.
   */
  async purgeOlderThan(before: Date): Promise<number> {
    const deleted = await this.db.transaction().execute(async (trx) => {
      await sql`select set_config('platform.audit_retention_purge', 'on', true)`.execute(trx)
      const result = await trx.deleteFrom('audit_log').where('occurred_at', '<', before).executeTakeFirst()
      return Number(result.numDeletedRows)
    })
    await this.record({
      action: 'audit.retention_purge',
      actor: { type: 'system' },
      metadata: { before: before.toISOString(), deleted },
    })
    return deleted
  }
}

function toRecord(row: AuditRow): AuditRecord {
  return {
    id: row.id,
    occurredAt: new Date(row.occurred_at).toISOString(),
    appId: row.app_id,
    actor: row.actor_id === null ? { type: row.actor_type } : { type: row.actor_type, id: row.actor_id },
    action: row.action,
    target: row.target_type && row.target_id ? { type: row.target_type, id: row.target_id } : null,
    outcome: row.outcome,
    ip: row.ip,
    userAgent: row.user_agent,
    requestId: row.request_id,
    metadata: row.metadata,
  }
}
