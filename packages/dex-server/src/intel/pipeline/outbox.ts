import { uuidv7 } from '@platform/service-kit/http'
import { sql, type Transaction } from 'kysely'
import type { IndexBatch } from '../../indexer/batch.js'
import { type PipelineEvent, pipelineEventsOf } from './events.js'

const ROWS_PER_STATEMENT = 2_000

export async function appendOutbox(trx: Transaction<any>, events: PipelineEvent[]): Promise<void> {
  for (let i = 0; i < events.length; i += ROWS_PER_STATEMENT) {
    const chunk = events.slice(i, i + ROWS_PER_STATEMENT)
    // One jsonb array parameter, unnested in order: seq follows chain order.
    await sql`
      insert into intel_outbox (event_id, topic, payload)
      select e->>'id', (e->>'type') || '.' || (e->>'chainId'), e
      from jsonb_array_elements(${JSON.stringify(chunk)}::jsonb) with ordinality as t(e, n)
      order by n`.execute(trx)
  }
}

/**
 * Called inside the indexer's range transaction: the range's events commit with the range, so
 * none is lost between the commit and the publish (the relay publishes them afterwards).
 */
export async function writeOutbox(trx: Transaction<any>, chainId: number, batch: IndexBatch): Promise<void> {
  const events = pipelineEventsOf(chainId, batch)
  if (events.length > 0) await appendOutbox(trx, events)
}

/** Called inside the rollback transaction: consumers drop what they derived above the fork. */
export async function writeReorgToOutbox(
  trx: Transaction<any>,
  chainId: number,
  forkBlock: number | null,
): Promise<void> {
  await appendOutbox(trx, [{ type: 'reorg', id: `${chainId}:reorg:${uuidv7()}`, chainId, forkBlock }])
}
