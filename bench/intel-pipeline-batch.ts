/**
 * Pipeline consumer throughput: N synthetic valid events (default 20,000) published through the
 * in-process queue into the processor on PostgreSQL (DATABASE_URL) or PGlite, timed from the first
 * publish to the last event applied. Runs prefetch 1 (one transaction per event, the consumer as
 * it was) and the default prefetch (group commit) on fresh schemas in the same process, and
 * reports events/s of each and their ratio. `npx tsx bench/intel-pipeline-batch.ts [events]`
 * (`PIPELINE_BENCH_ONLY=before|after` runs one side).
 */
import { randomBytes } from 'node:crypto'
import { migrate, openDatabase } from '@platform/service-kit/db'
import { MemoryJobQueue } from '@platform/service-kit/queue'
import { sql } from 'kysely'
import { MIGRATIONS_DIR } from '../packages/dex-server/src/indexer/test-support.js'
import {
  PipelineProcessor,
  startPipelineConsumer,
} from '../packages/dex-server/src/intel/pipeline/consumer.js'
import { topicOf } from '../packages/dex-server/src/intel/pipeline/events.js'
import { syntheticStream } from '../packages/dex-server/src/intel/pipeline/test-events.js'

const EVENTS = Number(process.argv[2] ?? 20_000)

async function drain(prefetch: number | undefined) {
  const url = process.env.DATABASE_URL
  const schema = `bench_pipeline_${randomBytes(4).toString('hex')}`
  const db = await openDatabase(url ? { url, schema, poolSize: 3 } : { schema })
  await migrate(db, { dir: MIGRATIONS_DIR })
  const queue = new MemoryJobQueue()
  const processor = new PipelineProcessor(db.kysely)
  const events = syntheticStream(42, 8, EVENTS - 16)
  const consumer = await startPipelineConsumer(processor, {
    db: db.kysely,
    queue,
    exchange: 'bench.events',
    queueName: 'bench.pipeline',
    ...(prefetch === undefined ? {} : { prefetch }),
  })
  const started = performance.now()
  const createdAt = new Date().toISOString()
  for (const event of events)
    await queue.publishEvent('bench.events', topicOf(event), { ...event, createdAt })
  let last = 0
  while (processor.stats.applied < events.length) {
    await new Promise((resolve) => setTimeout(resolve, 20))
    if (processor.stats.applied - last >= 2_000) {
      last = processor.stats.applied
      process.stderr.write(`  prefetch ${prefetch ?? 'default'}: ${last}/${events.length}\n`)
    }
  }
  const seconds = (performance.now() - started) / 1000
  await consumer.cancel()
  await queue.close()
  const { stats } = processor
  if (stats.deadLettered > 0 || stats.duplicates > 0)
    throw new Error(`unexpected outcomes ${JSON.stringify(stats)}`)
  if (url) await sql.raw(`drop schema if exists "${schema}" cascade`).execute(db.kysely)
  await db.close()
  return {
    prefetch: prefetch ?? 'default',
    events: events.length,
    seconds: Math.round(seconds * 100) / 100,
    eventsPerSecond: Math.round(events.length / seconds),
    transactions: stats.batches,
    largestBatch: stats.largestBatch,
  }
}

export async function run() {
  // PIPELINE_BENCH_ONLY=before runs one side, e.g. against an older consumer checked out in place.
  const only = process.env.PIPELINE_BENCH_ONLY
  const before = only === 'after' ? null : await drain(1)
  const after = only === 'before' ? null : await drain(undefined)
  if (!before || !after) return { database: process.env.DATABASE_URL ? 'postgres' : 'pglite', before, after }
  return {
    database: process.env.DATABASE_URL ? 'postgres' : 'pglite',
    before,
    after,
    ratio: Math.round((after.eventsPerSecond / before.eventsPerSecond) * 10) / 10,
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(JSON.stringify(await run(), null, 2))
