import { randomUUID } from 'node:crypto'
import amqp from 'amqplib'
import { Registry } from 'prom-client'
import { afterAll, afterEach, beforeEach, describe, expect, it } from 'vitest'
import { MemoryCache } from '../cache/memory.js'
import { amqpUrl, eventually, sleep } from '../cache/test-support.js'
import { AmqpJobQueue } from './amqp.js'
import { IdempotencyGuard } from './idempotency.js'
import { MemoryJobQueue } from './memory.js'
import { deadLetterQueueName } from './naming.js'
import type { DeadLetter, JobContext, JobQueue } from './types.js'

// Unique names per test file and run, so parallel files and old runs never meet on one broker.
const run = randomUUID().slice(0, 8)
const queuesToDelete = new Set<string>()
const exchangesToDelete = new Set<string>()
const name = (what: string) => {
  const queue = `test.queue.${run}.${what}`
  queuesToDelete.add(queue)
  queuesToDelete.add(deadLetterQueueName(queue))
  return queue
}
const exchangeName = (what: string) => {
  const exchange = `test.events.${run}.${what}`
  exchangesToDelete.add(exchange)
  return exchange
}

const drivers: [string, (idempotency: IdempotencyGuard, registry: Registry) => Promise<JobQueue>][] = [
  ['in-process', async (idempotency, registry) => new MemoryJobQueue({ idempotency, registry })],
]
if (amqpUrl) {
  const url = amqpUrl
  drivers.push(['rabbitmq', (idempotency, registry) => AmqpJobQueue.connect({ url, idempotency, registry })])
}

afterAll(async () => {
  if (!amqpUrl) return
  const connection = await amqp.connect(amqpUrl)
  const channel = await connection.createChannel()
  for (const queue of queuesToDelete) await channel.deleteQueue(queue)
  for (const exchange of exchangesToDelete) await channel.deleteExchange(exchange)
  await connection.close()
})

const fast = { backoff: { baseMs: 20, factor: 2, maxMs: 100 } }

describe.each(drivers)('queue contract (%s)', (_driver, make) => {
  let queue: JobQueue
  let cache: MemoryCache
  let registry: Registry
  const jobs = async () => (await registry.getSingleMetricAsString('queue_jobs_total')).split('\n')
  beforeEach(async () => {
    cache = new MemoryCache()
    registry = new Registry()
    queue = await make(new IdempotencyGuard(cache, 60_000), registry)
  })
  afterEach(async () => {
    await queue.close()
    await cache.close()
  })

  it('keeps messages published before a consumer exists and delivers them with attempt 1', async () => {
    const q = name(`early-${_driver}`)
    await queue.publish(q, { n: 1 })
    await queue.publish(q, { n: 2 })
    const got: [unknown, JobContext][] = []
    await queue.consume(q, (payload, context) => {
      got.push([payload, context])
    })
    await eventually(() => got.length === 2, 'two messages')
    expect(got.map(([p]) => p)).toEqual([{ n: 1 }, { n: 2 }])
    expect(got[0]![1]).toMatchObject({ queue: q, attempt: 1 })
    expect(got[0]![1].messageId).not.toBe(got[1]![1].messageId)
  })

  it('drops a duplicate idempotency key but accepts a new one', async () => {
    const q = name(`idem-${_driver}`)
    expect(await queue.publish(q, { v: 'a' }, { idempotencyKey: 'k1' })).toBe(true)
    expect(await queue.publish(q, { v: 'b' }, { idempotencyKey: 'k1' })).toBe(false)
    expect(await queue.publish(q, { v: 'c' }, { idempotencyKey: 'k2' })).toBe(true)
    const got: unknown[] = []
    const keys: unknown[] = []
    await queue.consume(q, (payload, context) => {
      got.push(payload)
      keys.push(context.idempotencyKey)
    })
    await eventually(() => got.length === 2, 'two distinct messages')
    await sleep(50)
    expect(got).toEqual([{ v: 'a' }, { v: 'c' }])
    expect(keys).toEqual(['k1', 'k2'])
  })

  it('retries a failing job with increasing attempts until it succeeds', async () => {
    const q = name(`retry-${_driver}`)
    const attempts: number[] = []
    await queue.consume(
      q,
      (_payload, context) => {
        attempts.push(context.attempt)
        if (context.attempt < 3) throw new Error('transient')
      },
      { ...fast, maxAttempts: 5 },
    )
    await queue.publish(q, { job: 'flaky' })
    await eventually(() => attempts.length === 3, 'third attempt')
    await sleep(150)
    expect(attempts).toEqual([1, 2, 3])
    expect(await jobs()).toEqual(
      expect.arrayContaining([
        `queue_jobs_total{queue="${q}",outcome="retried"} 2`,
        `queue_jobs_total{queue="${q}",outcome="acked"} 1`,
      ]),
    )
  })

  it('moves a job to the dead-letter queue after maxAttempts', async () => {
    const q = name(`dead-${_driver}`)
    let calls = 0
    await queue.consume(
      q,
      () => {
        calls++
        throw new Error('always broken')
      },
      { ...fast, maxAttempts: 3 },
    )
    const dead: DeadLetter[] = []
    await queue.consume<DeadLetter>(deadLetterQueueName(q), (letter) => {
      dead.push(letter)
    })
    await queue.publish(q, { job: 'doomed' })
    await eventually(() => dead.length === 1, 'dead letter')
    expect(calls).toBe(3)
    expect(dead[0]).toMatchObject({
      payload: { job: 'doomed' },
      queue: q,
      attempts: 3,
      error: 'always broken',
    })
  })

  it('fans events out to every subscriber whose pattern matches', async () => {
    const exchange = exchangeName(`fan-${_driver}`)
    const star: unknown[] = []
    const hash: unknown[] = []
    const other: unknown[] = []
    await queue.subscribeEvents(exchange, 'order.*', (e) => {
      star.push(e)
    })
    await queue.subscribeEvents(exchange, 'order.#', (e) => {
      hash.push(e)
    })
    await queue.subscribeEvents(exchange, 'trade.*', (e) => {
      other.push(e)
    })
    await queue.publishEvent(exchange, 'order.created', { id: 1 })
    await queue.publishEvent(exchange, 'order.created.eu', { id: 2 })
    await eventually(() => star.length === 1 && hash.length === 2, 'matching subscribers')
    await sleep(50)
    expect(star).toEqual([{ id: 1 }])
    expect(hash).toEqual([{ id: 1 }, { id: 2 }])
    expect(other).toEqual([])
  })

  it('shares events among subscribers of one named queue (a worker group)', async () => {
    const exchange = exchangeName(`group-${_driver}`)
    const group = name(`group-${_driver}`)
    const a: unknown[] = []
    const b: unknown[] = []
    await queue.subscribeEvents(exchange, 'job.#', (e) => void a.push(e), { queue: group, prefetch: 1 })
    await queue.subscribeEvents(exchange, 'job.#', (e) => void b.push(e), { queue: group, prefetch: 1 })
    for (let i = 0; i < 6; i++) await queue.publishEvent(exchange, 'job.run', i)
    await eventually(() => a.length + b.length === 6, 'six events')
    await sleep(50)
    expect([...a, ...b].sort()).toEqual([0, 1, 2, 3, 4, 5])
  })

  it('publishes a batch of events in order, and holds what a declared queue got before its consumer started', async () => {
    const exchange = exchangeName(`batch-${_driver}`)
    const group = name(`declared-${_driver}`)
    await queue.declareEventQueue(exchange, 'tick.#', group)
    // Published while nobody consumes: only the declared queue keeps them.
    await queue.publishEvents(
      exchange,
      Array.from({ length: 50 }, (_, i) => ({ topic: i % 2 ? 'tick.odd' : 'tick.even', event: i })),
    )
    await queue.publishEvents(exchange, [{ topic: 'other.kind', event: -1 }])
    const got: number[] = []
    await queue.subscribeEvents(exchange, 'tick.#', (e: number) => void got.push(e), {
      queue: group,
      prefetch: 1,
    })
    await eventually(() => got.length === 50, 'the fifty events')
    await sleep(50)
    expect(got).toEqual(Array.from({ length: 50 }, (_, i) => i))
  })

  it('stops delivering after cancel', async () => {
    const q = name(`cancel-${_driver}`)
    const got: unknown[] = []
    const consumer = await queue.consume(q, (p) => void got.push(p))
    await queue.publish(q, 1)
    await eventually(() => got.length === 1, 'first message')
    await consumer.cancel()
    await queue.publish(q, 2)
    await sleep(50)
    expect(got).toEqual([1])
  })

  it('close waits for the in-flight handler to finish', async () => {
    const q = name(`close-${_driver}`)
    let release!: () => void
    const gate = new Promise<void>((resolve) => {
      release = resolve
    })
    let started = false
    let finished = false
    await queue.consume(q, async () => {
      started = true
      await gate
      finished = true
    })
    await queue.publish(q, 'slow')
    await eventually(() => started, 'handler start')
    const closing = queue.close()
    await sleep(20)
    expect(finished).toBe(false)
    release()
    await closing
    expect(finished).toBe(true)
    await expect(queue.publish(q, 'after')).rejects.toThrow(/closed/)
  })
})
