import { sql } from 'kysely'
import type { IntelDb } from '../tables.js'
import type { PipelineProcessor } from './consumer.js'
import { PoisonEvent, validateEvent } from './validate.js'

export interface DeadLetterRow {
  id: number
  eventId: string | null
  code: string
  reason: string
  attempts: number
  failedAt: string
  resolvedAt: string | null
  payload: unknown
}

const idOf = (payload: unknown) => {
  const id = (payload as { id?: unknown } | null)?.id
  return typeof id === 'string' ? id.slice(0, 200) : null
}

/** Stores a poison message with its reason (an event that already failed gets another attempt counted). */
export async function recordDeadLetter(db: IntelDb, payload: unknown, error: PoisonEvent): Promise<void> {
  await db
    .insertInto('intel_pipeline_dlq')
    .values({
      event_id: idOf(payload),
      payload: JSON.stringify(payload ?? null),
      code: error.code,
      reason: error.message.slice(0, 1000),
    })
    .execute()
}

const toRow = (r: Record<string, any>): DeadLetterRow => ({
  id: Number(r.id),
  eventId: r.event_id,
  code: r.code,
  reason: r.reason,
  attempts: Number(r.attempts),
  failedAt: new Date(r.failed_at).toISOString(),
  resolvedAt: r.resolved_at ? new Date(r.resolved_at).toISOString() : null,
  payload: typeof r.payload === 'string' ? JSON.parse(r.payload) : r.payload,
})

/** Open (unresolved) dead letters, oldest first, after the id `after`; at most `limit`. */
export async function listDeadLetters(db: IntelDb, limit: number, after = 0): Promise<DeadLetterRow[]> {
  const rows = await db
    .selectFrom('intel_pipeline_dlq')
    .selectAll()
    .where('resolved_at', 'is', null)
    .where('id', '>', String(after))
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map(toRow)
}

export async function openDeadLetters(db: IntelDb): Promise<number> {
  const row = await sql<{ n: string }>`
    select count(*) as n from intel_pipeline_dlq where resolved_at is null`.execute(db)
  return Number(row.rows[0]?.n ?? 0)
}

export type ReplayResult =
  | { status: 'applied' | 'duplicate'; letter: DeadLetterRow }
  | { status: 'failed'; letter: DeadLetterRow }
  | { status: 'not_found' }

/**
 * Re-applies a dead letter through the same validation and dedup, out of order (an operator
 * replays it after fixing the cause). Success resolves it; a failure updates reason and attempts.
 */
export async function replayDeadLetter(
  db: IntelDb,
  processor: PipelineProcessor,
  id: number,
): Promise<ReplayResult> {
  const row = await db
    .selectFrom('intel_pipeline_dlq')
    .selectAll()
    .where('id', '=', String(id))
    .where('resolved_at', 'is', null)
    .executeTakeFirst()
  if (row === undefined) return { status: 'not_found' }
  const letter = toRow(row)
  try {
    const status = await processor.process(validateEvent(letter.payload), false)
    if (status === 'applied') processor.noteApplied()
    const updated = await db
      .updateTable('intel_pipeline_dlq')
      .set({ resolved_at: sql`now()` })
      .where('id', '=', String(id))
      .returningAll()
      .executeTakeFirstOrThrow()
    return { status, letter: toRow(updated) }
  } catch (error) {
    if (!(error instanceof PoisonEvent)) throw error
    const updated = await db
      .updateTable('intel_pipeline_dlq')
      .set({
        code: error.code,
        reason: error.message.slice(0, 1000),
        attempts: sql`attempts + 1`,
        failed_at: sql`now()`,
      })
      .where('id', '=', String(id))
      .returningAll()
      .executeTakeFirstOrThrow()
    return { status: 'failed', letter: toRow(updated) }
  }
}
