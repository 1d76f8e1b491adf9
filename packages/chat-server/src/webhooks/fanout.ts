import { sql } from 'kysely'
import type { ChatContext } from '../shared/context.js'
import { uuidv7 } from '../shared/ids.js'
import { asJson } from '../shared/outbox.js'
import { isControlEvent } from '../shared/realtime-control.js'

const CURSOR = 'webhooks'
const BATCH = 500
/** An id missing this long belongs to a rolled-back transaction, not a slow one. */
const GAP_TIMEOUT_MS = 10_000

/** Types the realtime layer shows only; webhooks do not carry them. */
const EPHEMERAL = new Set(['typing.start', 'typing.stop', 'presence.changed'])
/** Events also written to a user: channel as a copy of a chat: channel event; webhooks take one. */
const USER_COPIES = new Set(['member.added', 'member.removed', 'read.updated', 'channel.deleted'])

/**
 * Turns outbox events into webhook deliveries through its own cursor (the realtime gateway keeps
 * published_at; neither consumer hides events from the other). bigserial ids can commit out of
 * order, so the cursor only moves over contiguous ids; a gap is waited for until it is old enough
 * to be a rollback. Deliveries are unique per (endpoint, event), so re-reading rows is harmless.
 */
export class WebhookFanout {
  private readonly gapsSeen = new Map<number, number>()

  constructor(private readonly ctx: ChatContext) {}

  /** Processes one batch; returns how many outbox rows it read. */
  async tick(): Promise<number> {
    const db = this.ctx.db
    await db
      .insertInto('outbox_cursors')
      .values({ name: CURSOR, last_id: 0 })
      .onConflict((oc) => oc.doNothing())
      .execute()
    const cursorRow = await db
      .selectFrom('outbox_cursors')
      .select('last_id')
      .where('name', '=', CURSOR)
      .executeTakeFirstOrThrow()
    const cursor = Number(cursorRow.last_id)
    const rows = await db
      .selectFrom('outbox')
      .select(['id', 'event_id', 'app_id', 'channel', 'type', 'payload', 'seq', 'created_at'])
      .where('id', '>', String(cursor))
      .orderBy('id')
      .limit(BATCH)
      .execute()
    if (rows.length === 0) return 0

    const relevant = rows.filter(
      (row) =>
        !EPHEMERAL.has(row.type) &&
        !isControlEvent(row.type) &&
        !(row.channel.startsWith('user:') && USER_COPIES.has(row.type)),
    )
    const appIds = [...new Set(relevant.map((row) => row.app_id))]
    if (appIds.length > 0) {
      const endpoints = await db
        .selectFrom('webhook_endpoints')
        .select(['app_id', 'id', 'event_types'])
        .where('app_id', 'in', appIds)
        .where('enabled', '=', true)
        .execute()
      const deliveries = relevant.flatMap((row) =>
        endpoints
          .filter(
            (endpoint) => endpoint.app_id === row.app_id && subscribed(endpoint.event_types ?? [], row.type),
          )
          .map((endpoint) => ({
            app_id: row.app_id,
            id: uuidv7(),
            endpoint_id: endpoint.id,
            event_id: row.event_id,
            event_type: row.type,
            body: JSON.stringify({
              id: row.event_id,
              type: row.type,
              appId: row.app_id,
              channel: row.channel,
              seq: row.seq === null ? null : Number(row.seq),
              createdAt: new Date(row.created_at).toISOString(),
              data: asJson(row.payload),
            }),
          })),
      )
      for (let i = 0; i < deliveries.length; i += 200) {
        await db
          .insertInto('webhook_deliveries')
          .values(deliveries.slice(i, i + 200))
          .onConflict((oc) => oc.columns(['endpoint_id', 'event_id']).doNothing())
          .execute()
      }
    }

    const next = this.advance(
      cursor,
      rows.map((row) => Number(row.id)),
    )
    if (next > cursor)
      await db.updateTable('outbox_cursors').set({ last_id: next }).where('name', '=', CURSOR).execute()
    return rows.length
  }

  private advance(cursor: number, ids: number[]): number {
    let position = cursor
    const now = Date.now()
    for (const id of ids) {
      while (position + 1 < id) {
        const missing = position + 1
        const seen = this.gapsSeen.get(missing) ?? now
        this.gapsSeen.set(missing, seen)
        if (now - seen < GAP_TIMEOUT_MS) return position
        this.gapsSeen.delete(missing)
        position = missing
      }
      position = id
    }
    return position
  }
}

function subscribed(types: string[], type: string): boolean {
  if (types.length === 0) return true
  return types.some(
    (pattern) =>
      pattern === type ||
      pattern === '*' ||
      (pattern.endsWith('.*') && type.startsWith(pattern.slice(0, -1))),
  )
}

/** Counts pending deliveries (exposed for the readiness view and tests). */
export async function pendingDeliveries(ctx: ChatContext): Promise<number> {
  const { rows } = await sql<{
    n: number
  }>`select count(*)::int as n from webhook_deliveries where status = 'pending'`.execute(ctx.db)
  return rows[0]?.n ?? 0
}
