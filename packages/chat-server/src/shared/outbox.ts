import { type Kysely, sql } from 'kysely'
import type { ChatDatabase } from './database.js'
import { uuidv7 } from './ids.js'

export interface OutboxEvent {
  appId: string
  /** Realtime channel name: chat:{appId}:{channelId} or user:{appId}:{userId}. */
  channel: string
  type: string
  payload: Record<string, unknown>
  /** Channel message seq for events ordered in that channel (the gateway's offset). */
  seq?: number | null
}

/**
 * Writes events to chat.outbox. Callers pass their transaction, so the event commits or rolls back
 * with the domain change it describes. Returns the event ids.
 */
export async function writeOutbox(db: Kysely<ChatDatabase>, events: OutboxEvent[]): Promise<string[]> {
  if (events.length === 0) return []
  const rows = events.map((event) => ({
    event_id: uuidv7(),
    app_id: event.appId,
    channel: event.channel,
    type: event.type,
    payload: JSON.stringify(event.payload),
    seq: event.seq ?? null,
  }))
  await db.insertInto('outbox').values(rows).execute()
  return rows.map((row) => row.event_id)
}

/** jsonb comes back parsed from pg and PGlite; text columns holding JSON do not. */
export function asJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

export const now = () => sql<Date>`now()`
