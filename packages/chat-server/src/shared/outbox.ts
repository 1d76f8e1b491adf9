import { type Kysely, sql } from 'kysely'
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
export async function writeOutbox(db: Kysely<any>, events: OutboxEvent[]): Promise<string[]> {
  if (events.length === 0) return []
  const ids = events.map(() => uuidv7())
  await db
    .insertInto('outbox')
    .values(
      events.map((event, i) => ({
        event_id: ids[i],
        app_id: event.appId,
        channel: event.channel,
        type: event.type,
        payload: JSON.stringify(event.payload),
        seq: event.seq ?? null,
      })),
    )
    .execute()
  return ids
}

/** jsonb comes back parsed from pg and PGlite; text columns holding JSON do not. */
export function asJson<T>(value: unknown): T {
  return (typeof value === 'string' ? JSON.parse(value) : value) as T
}

export const now = () => sql<Date>`now()`
