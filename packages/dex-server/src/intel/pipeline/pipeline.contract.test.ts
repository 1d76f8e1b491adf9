import { randomBytes } from 'node:crypto'
import { createQueue, type JobQueue } from '@platform/service-kit/queue'
import { type Kysely, sql } from 'kysely'
import { getAddress } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabases, until } from '../../indexer/test-support.js'
import { type PipelineConsumerOptions, PipelineProcessor, startPipelineConsumer } from './consumer.js'
import { listDeadLetters, replayDeadLetter } from './dlq.js'
import type { ChainEvent, PipelineEvent } from './events.js'
import { appendOutbox } from './outbox.js'
import { OutboxRelay } from './relay.js'
import { foldAggregates, syntheticStream } from './test-events.js'

// The same scenarios on the in-process queue and, when AMQP_URL is set, on RabbitMQ.
const drivers: Array<[string, string | undefined]> = [['in-process queue', undefined]]
if (process.env.AMQP_URL) drivers.push(['RabbitMQ', process.env.AMQP_URL])

let dbs: Awaited<ReturnType<typeof openTestDatabases>>
beforeAll(async () => {
  dbs = await openTestDatabases('intel_pipeline', drivers.length)
})
afterAll(async () => dbs?.close())

async function append(db: Kysely<any>, events: ChainEvent[]) {
  await db.transaction().execute((trx) => appendOutbox(trx, events))
}

/** The aggregates of the pools `events` create equal a plain fold of `events`. */
async function expectAggregatesEqualRecomputation(db: Kysely<any>, events: ChainEvent[]) {
  const expected = foldAggregates(events)
  const scope = [...expected.pools.keys()]
  const pools = await sql<Record<string, string>>`
    select p.pool, p.reserve0, p.reserve1, coalesce(sum(b.volume0), 0) as volume0,
      coalesce(sum(b.volume1), 0) as volume1, coalesce(sum(b.fees0), 0) as fees0,
      coalesce(sum(b.fees1), 0) as fees1, coalesce(sum(b.trades), 0) as trades
    from intel_pools p left join intel_pool_blocks b on b.pool = p.pool
    where p.pool = any(${scope}::text[]) group by p.pool`.execute(db)
  expect(pools.rows).toHaveLength(expected.pools.size)
  for (const row of pools.rows) {
    const want = expected.pools.get(row.pool as string)
    expect(want, row.pool).toBeDefined()
    expect({
      volume0: BigInt(row.volume0 as string),
      volume1: BigInt(row.volume1 as string),
      fees0: BigInt(row.fees0 as string),
      fees1: BigInt(row.fees1 as string),
      trades: Number(row.trades),
      reserve0: BigInt(row.reserve0 as string),
      reserve1: BigInt(row.reserve1 as string),
    }).toEqual(want)
  }
  const counterparties = await db
    .selectFrom('intel_account_counterparties')
    .selectAll()
    .where('counterparty', 'in', scope)
    .execute()
  expect(new Map(counterparties.map((c) => [`${c.account}|${c.counterparty}`, Number(c.trades)]))).toEqual(
    expected.counterparties,
  )
  const trades = await db
    .selectFrom('intel_account_trades')
    .select(sql<string>`count(*)`.as('n'))
    .where('pool', 'in', scope)
    .executeTakeFirst()
  expect(Number(trades?.n)).toBe([...expected.counterparties.values()].reduce((a, b) => a + b, 0))
}

/** The same synthetic stream on another chain id and its own pools, so each test has its own watermark. */
function onChain(events: ChainEvent[], chainId: number): ChainEvent[] {
  const prefix = chainId.toString(16).padStart(8, '0')
  return events.map((e) => ({
    ...e,
    chainId,
    id: e.id.replace(/^31337:/, `${chainId}:`),
    pool: getAddress(`0x${prefix}${e.pool.slice(10)}`),
  }))
}

/** A processor whose first batch transaction waits for `release`, so later deliveries queue up. */
function heldProcessor(db: Kysely<any>, fault?: (event: PipelineEvent, batchSize: number) => void) {
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let held = false
  const processor = new PipelineProcessor(db, {
    // The held first batch is one event, so exactly the rest is known to queue behind it.
    gatherBurst: false,
    inTransaction: async (event, size) => {
      if (!held) {
        held = true
        await gate
      }
      fault?.(event, size)
    },
  })
  return { processor, release: () => release() }
}

describe.each(drivers.map(([name, url], index) => ({ name, url, index })))(
  'event pipeline on the $name',
  ({ url, index }) => {
    let queue: JobQueue
    let db: Kysely<any>
    const tag = randomBytes(4).toString('hex')
    const exchange = `intel.test.${tag}`
    const queueName = `intel.pipeline.test.${tag}`

    beforeAll(async () => {
      queue = await createQueue({ amqpUrl: url })
      db = (dbs.databases[index] as (typeof dbs.databases)[number]).kysely
    })
    afterAll(async () => queue?.close())

    it('applies every event exactly once across a consumer killed mid-stream, a crash before the ack and a relay that republished', async () => {
      // Longer than a batch (the prefetch) so the kill leaves events in the queue.
      const events = syntheticStream(7, 3, 1000)
      await append(db, events)
      const processor = new PipelineProcessor(db)
      const relay = new OutboxRelay({ db, queue, exchange, batchSize: 50 })
      let crashed = false
      let handled = 0
      let killed: Promise<void> | null = null
      const options: PipelineConsumerOptions = {
        db,
        queue,
        exchange,
        queueName,
        afterApply: () => {
          // The 50th event: applied and committed, then the handler dies before the ack.
          if (++handled === 50 && !crashed) {
            crashed = true
            throw new Error('consumer crashed after commit, before ack')
          }
          // At the 150th the consumer is killed mid-stream (from here, not after polling: a
          // batching consumer could otherwise finish the stream before the poll sees 150).
          if (handled === 150 && !killed) killed = consumer.cancel()
        },
      }
      let consumer = await startPipelineConsumer(processor, options)
      // Publish everything, then pretend the relay died before stamping the last 100 rows.
      while ((await relay.publishPending()) > 0) {}
      await sql`update intel_outbox set published_at = null
      where seq > (select max(seq) - 100 from intel_outbox)`.execute(db)

      await until(async () => killed !== null, 60_000, '150 events applied')
      await killed // the durable queue keeps the rest
      const appliedAtKill = processor.stats.applied
      expect(appliedAtKill).toBeLessThan(events.length)
      while ((await relay.publishPending()) > 0) {} // the restarted relay republishes its 100 rows
      consumer = await startPipelineConsumer(processor, options)
      await until(
        async () => processor.stats.applied === events.length && processor.stats.duplicates >= 101,
        60_000,
        'every event applied once and every duplicate dropped',
      )
      await consumer.cancel()

      expect(crashed).toBe(true)
      expect(processor.stats.applied).toBe(events.length)
      expect(processor.stats.deadLettered).toBe(0)
      await expectAggregatesEqualRecomputation(db, events)
    }, 150_000) // deadlines, not timing assertions: a loaded machine applies 400 events slowly

    it('loses nothing the relay published before the pipeline (another process) first subscribed', async () => {
      // Queue names this broker has never seen: the pipeline has not started yet.
      const late = { exchange: `${exchange}.late`, queueName: `${queueName}.late` }
      const events = onChain(syntheticStream(5, 2, 120), 0x1a7e)
      await append(db, events)
      const relay = new OutboxRelay({ db, queue, exchange: late.exchange, pipelineQueue: late.queueName })
      while ((await relay.publishPending()) > 0) {}
      const processor = new PipelineProcessor(db)
      const consumer = await startPipelineConsumer(processor, { db, queue, ...late })
      await until(async () => processor.stats.applied === events.length, 60_000, 'every early event applied')
      await consumer.cancel()
      await expectAggregatesEqualRecomputation(db, events)
    }, 90_000)

    it('sends a poison message to the DLQ with its reason and replays it once the cause is fixed', async () => {
      const processor = new PipelineProcessor(db)
      const relay = new OutboxRelay({ db, queue, exchange })
      const consumer = await startPipelineConsumer(processor, { db, queue, exchange, queueName })
      const base = syntheticStream(7, 3, 1000) // after the first test's stream
      const last = base.at(-1) as Extract<ChainEvent, { type: 'swap' }>
      const newPool = getAddress(`0x${tag}${'0'.repeat(32)}`)
      const orphanSwap: ChainEvent = {
        ...last,
        id: `31337:orphan:${tag}`,
        pool: newPool,
        blockNumber: last.blockNumber + 1,
        logIndex: 0,
        amount0In: '1000',
        amount1In: '0',
        amount0Out: '0',
        amount1Out: '990',
        reserve0: '1001000',
        reserve1: '999010',
      }
      const badAmount = {
        ...last,
        id: `31337:bad:${tag}`,
        blockNumber: last.blockNumber + 1,
        logIndex: 1,
        amount0In: '12.5',
      }
      const lowerCase = {
        ...last,
        id: `31337:lower:${tag}`,
        blockNumber: last.blockNumber + 1,
        logIndex: 2,
        recipient: '0xabcdefabcdefabcdefabcdefabcdefabcdefabcd',
      }
      await append(db, [orphanSwap, badAmount as ChainEvent, lowerCase as ChainEvent])
      await relay.publishPending()
      await until(async () => processor.stats.deadLettered === 3, 30_000, 'three dead letters')
      expect(getAddress(lowerCase.recipient)).not.toBe(lowerCase.recipient)

      const letters = await listDeadLetters(db, 10)
      expect(letters.map((l) => [l.eventId, l.code])).toEqual([
        [orphanSwap.id, 'unknown_pool'],
        [badAmount.id, 'schema_invalid'],
        [lowerCase.id, 'address_not_checksummed'],
      ])
      expect(letters[1]?.reason).toContain('/amount0In')

      // The fix: the pool's creation arrives (late, in a later block), and then the replay applies the swap.
      const created: ChainEvent = {
        type: 'pool.created',
        id: `31337:created:${tag}`,
        chainId: 31337,
        pool: newPool,
        token0: getAddress(`0x${'0'.repeat(32)}${tag}`),
        token1: getAddress(`0x${'1'.repeat(32)}${tag}`),
        blockNumber: last.blockNumber + 2,
        logIndex: 0,
        txHash: last.txHash,
      }
      const funded: ChainEvent = {
        type: 'liquidity.mint',
        id: `31337:funded:${tag}`,
        chainId: 31337,
        pool: newPool,
        blockNumber: last.blockNumber + 2,
        logIndex: 1,
        txHash: last.txHash,
        time: last.time,
        sender: last.sender,
        amount0: '1000000',
        amount1: '1000000',
      }
      await append(db, [created, funded])
      await relay.publishPending()
      await until(async () => processor.stats.applied === 2, 30_000, 'the pool creation applied')

      const orphanLetter = letters[0]?.id as number
      expect((await replayDeadLetter(db, processor, orphanLetter)).status).toBe('applied')
      expect((await replayDeadLetter(db, processor, orphanLetter)).status).toBe('not_found')
      const stillBad = await replayDeadLetter(db, processor, letters[1]?.id as number)
      expect(stillBad).toMatchObject({ status: 'failed', letter: { attempts: 2, code: 'schema_invalid' } })
      expect((await listDeadLetters(db, 10)).map((l) => l.eventId)).toEqual([badAmount.id, lowerCase.id])

      // Replayed out of order, the swap still counts once; the later mint keeps the reserves.
      const pool = await db
        .selectFrom('intel_pools')
        .selectAll()
        .where('pool', '=', newPool.toLowerCase())
        .executeTakeFirstOrThrow()
      expect([pool.reserve0, pool.reserve1]).toEqual(['1000000', '1000000'])
      const volume = await db
        .selectFrom('intel_pool_blocks')
        .select(['volume0', 'trades'])
        .where('pool', '=', newPool.toLowerCase())
        .where('block_number', '=', orphanSwap.blockNumber)
        .executeTakeFirstOrThrow()
      expect([volume.volume0, volume.trades]).toEqual(['1000', 1])
      await consumer.cancel()
    }, 90_000)

    /** Appends and publishes `events`, with the consumer running; resolves once the relay is done. */
    async function publish(events: PipelineEvent[]) {
      await db.transaction().execute((trx) => appendOutbox(trx, events))
      const relay = new OutboxRelay({ db, queue, exchange })
      while ((await relay.publishPending()) > 0) {}
    }

    it('applies what queued while a commit was held as one batch transaction', async () => {
      const events = onChain(syntheticStream(11, 2, 120), 901)
      const { processor, release } = heldProcessor(db)
      const consumer = await startPipelineConsumer(processor, { db, queue, exchange, queueName })
      await publish(events)
      await until(
        async () => processor.waiting === events.length - 1,
        30_000,
        'every other event queued behind the held first commit',
      )
      release()
      await until(async () => processor.stats.applied === events.length, 30_000, 'every event applied')
      await consumer.cancel()
      expect(processor.stats).toMatchObject({ batches: 2, largestBatch: events.length - 1, failedBatches: 0 })
      await expectAggregatesEqualRecomputation(db, events)
    }, 60_000)

    it('dead-letters only the poison events of a batch and applies the others in order', async () => {
      const valid = onChain(syntheticStream(12, 2, 60), 902)
      const at = (i: number) => valid[i] as Extract<ChainEvent, { type: 'swap' }>
      const orphan = {
        ...at(30),
        id: `902:orphan:${tag}`,
        pool: getAddress(`0x${'9'.repeat(8)}${tag}${'0'.repeat(24)}`),
      }
      const badAmount = { ...at(40), id: `902:bad:${tag}`, amount0In: '1.5' }
      const events = [...valid.slice(0, 31), orphan, ...valid.slice(31, 41), badAmount, ...valid.slice(41)]
      const { processor, release } = heldProcessor(db)
      const consumer = await startPipelineConsumer(processor, { db, queue, exchange, queueName })
      await publish(events as PipelineEvent[])
      await until(async () => processor.waiting === events.length - 1, 30_000, 'the batch queued')
      release()
      await until(
        async () => processor.stats.applied + processor.stats.deadLettered === events.length,
        30_000,
        'every event applied or dead-lettered',
      )
      await consumer.cancel()
      expect(processor.stats).toMatchObject({ applied: valid.length, deadLettered: 2, duplicates: 0 })
      // The batch failed on the orphan and was split until it was alone; the schema failure never
      // reached a transaction's apply step (its DLQ row is written in the batch, in order).
      expect(processor.stats.failedBatches).toBeGreaterThan(0)
      const letters = (await listDeadLetters(db, 100)).filter((l) => l.eventId?.startsWith('902:'))
      expect(letters.map((l) => [l.eventId, l.code])).toEqual([
        [orphan.id, 'unknown_pool'],
        [badAmount.id, 'schema_invalid'],
      ])
      await expectAggregatesEqualRecomputation(db, valid)
    }, 60_000)

    it('applies an event whose id is twice in one batch once', async () => {
      const events = onChain(syntheticStream(13, 2, 60), 903)
      const repeats = events.slice(20, 25)
      const { processor, release } = heldProcessor(db)
      const consumer = await startPipelineConsumer(processor, { db, queue, exchange, queueName })
      await publish([...events, ...repeats])
      await until(
        async () => processor.waiting === events.length + repeats.length - 1,
        30_000,
        'the batch queued',
      )
      release()
      await until(
        async () => processor.stats.applied + processor.stats.duplicates === events.length + repeats.length,
        30_000,
        'every delivery answered',
      )
      await consumer.cancel()
      expect(processor.stats).toMatchObject({
        applied: events.length,
        duplicates: repeats.length,
        deadLettered: 0,
        batches: 2,
      })
      await expectAggregatesEqualRecomputation(db, events)
    }, 60_000)

    it('rolls a batch back whole when its transaction fails mid-way, and converges by splitting and redelivery', async () => {
      const events = onChain(syntheticStream(14, 2, 60), 904)
      const middle = events[30] as ChainEvent
      const last = events.at(-1) as ChainEvent
      let lastFailedAlone = false
      // The connection "drops" after the middle event in any batch of several, and once after the
      // last event when it is alone: that delivery fails and the queue redelivers it.
      const { processor, release } = heldProcessor(db, (event, size) => {
        if (event.id === middle.id && size > 1) throw new Error('connection lost mid-batch')
        if (event.id === last.id && !lastFailedAlone) {
          if (size === 1) lastFailedAlone = true
          throw new Error('connection lost at the end of the batch')
        }
      })
      const consumer = await startPipelineConsumer(processor, { db, queue, exchange, queueName })
      await publish(events)
      await until(async () => processor.waiting === events.length - 1, 30_000, 'the batch queued')
      release()
      await until(async () => processor.stats.applied === events.length, 30_000, 'every event applied')
      await consumer.cancel()
      expect(lastFailedAlone).toBe(true)
      // Nothing of a failed attempt stayed: no event was claimed twice, none dead-lettered.
      expect(processor.stats).toMatchObject({ applied: events.length, duplicates: 0, deadLettered: 0 })
      expect(processor.stats.failedBatches).toBeGreaterThanOrEqual(2)
      await expectAggregatesEqualRecomputation(db, events)
    }, 60_000)
  },
)
