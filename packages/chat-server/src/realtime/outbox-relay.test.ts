import { randomUUID } from 'node:crypto'
import { createTestDatabase, type Database } from '@platform/service-kit/db'
import { sql } from 'kysely'
import { Registry } from 'prom-client'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { ChatDatabase } from '../shared/database.js'
import { MemoryBroker } from './broker/memory.js'
import type { Delivery } from './broker/types.js'
import { type RealtimeEvent, startOutboxRelay } from './outbox-relay.js'
import { createBrokerPublisher, type Publisher } from './publisher.js'

describe('outbox relay', () => {
  let database: Database<ChatDatabase>
  const appId = randomUUID()

  beforeAll(async () => {
    database = await createTestDatabase<ChatDatabase>('realtime_outbox')
    // The contract table as the API's migration defines it.
    await sql`create table outbox (
      id bigserial primary key, event_id uuid not null unique, app_id uuid not null, channel text not null,
      type text not null, payload jsonb not null, seq bigint null,
      created_at timestamptz not null default now(), published_at timestamptz null)`.execute(database.kysely)
  }, 60_000)
  afterAll(() => database?.close())

  const insert = async (rows: { channel: string; type: string; seq?: number; payload?: unknown }[]) => {
    for (const r of rows) {
      await sql`insert into outbox (event_id, app_id, channel, type, payload, seq)
        values (${randomUUID()}, ${appId}, ${r.channel}, ${r.type}, ${JSON.stringify(r.payload ?? {})}::jsonb, ${r.seq ?? null})`.execute(
        database.kysely,
      )
    }
  }

  const collect = (broker: MemoryBroker) => {
    const byChannel = new Map<string, { event: RealtimeEvent; offset?: number }[]>()
    broker.setHandler({
      onDelivery(d: Delivery) {
        const pub = JSON.parse(d.frame).push.pub as { data: RealtimeEvent; offset?: number }
        const list = byChannel.get(d.channel) ?? []
        list.push({ event: pub.data, offset: pub.offset })
        byChannel.set(d.channel, list)
      },
      onControl() {},
    })
    return byChannel
  }

  it('publishes in seq order per channel, once, with two relays racing, and reports backlog and lag', async () => {
    const channels = [0, 1, 2].map((i) => `chat:${appId}:c${i}`)
    const rows = []
    for (let seq = 1; seq <= 20; seq++)
      for (const channel of channels) rows.push({ channel, type: 'message.new', seq })
    rows.push({ channel: channels[0] as string, type: 'typing.start' })
    await insert(rows)

    const broker = new MemoryBroker()
    const got = collect(broker)
    const registry = new Registry()
    const publisher = createBrokerPublisher(broker, 1000)
    const r1 = startOutboxRelay({
      db: database.kysely,
      publisher,
      registry,
      pollIntervalMs: 10_000,
      batchSize: 7,
    })
    const r2 = startOutboxRelay({
      db: database.kysely,
      publisher,
      registry,
      pollIntervalMs: 10_000,
      batchSize: 7,
    })
    await Promise.all([r1.drain(), r2.drain(), r1.drain()])
    await Promise.all([r1.drain(), r2.drain()])
    await r1.stop()
    await r2.stop()

    for (const channel of channels) {
      const events = (got.get(channel) ?? []).filter((e) => e.event.type === 'message.new')
      expect(events.map((e) => e.event.seq)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
      expect(new Set(events.map((e) => e.event.id)).size).toBe(20)
      expect(events.map((e) => e.offset)).toEqual(Array.from({ length: 20 }, (_, i) => i + 1))
    }
    const typing = (got.get(channels[0] as string) ?? []).filter((e) => e.event.type === 'typing.start')
    expect(typing).toHaveLength(1)
    expect(typing[0]?.offset).toBeUndefined()

    const left = await sql<{
      n: string
    }>`select count(*) as n from outbox where published_at is null`.execute(database.kysely)
    expect(Number(left.rows[0]?.n)).toBe(0)
    const metrics = await registry.getMetricsAsJSON()
    expect(metrics.find((m) => m.name === 'outbox_backlog')?.values[0]?.value).toBe(0)
    expect(metrics.find((m) => m.name === 'outbox_lag_seconds')?.values[0]?.value).toBe(0)
  })

  it('re-sends after a failed batch (at least once) and the broker key keeps the stream free of copies', async () => {
    const channel = `chat:${appId}:crash`
    await insert(Array.from({ length: 10 }, (_, i) => ({ channel, type: 'message.new', seq: i + 1 })))
    const broker = new MemoryBroker()
    const got = collect(broker)
    const real = createBrokerPublisher(broker, 1000)
    let sent = 0
    // Fails on the 6th publish: the batch's transaction rolls back with 5 already out.
    const flaky: Publisher = {
      ...real,
      publish: async (req) => {
        if (++sent === 6) throw new Error('broker connection lost')
        return real.publish(req)
      },
    }
    const relay = startOutboxRelay({ db: database.kysely, publisher: flaky, pollIntervalMs: 10_000 })
    await expect(relay.drain()).rejects.toThrow('broker connection lost')
    const backlog = await sql<{
      n: string
    }>`select count(*) as n from outbox where published_at is null`.execute(database.kysely)
    expect(Number(backlog.rows[0]?.n)).toBe(10)
    expect(await relay.drain()).toBe(10)
    await relay.stop()
    const events = got.get(channel) ?? []
    expect(events.map((e) => e.event.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
    expect(events.map((e) => e.offset)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10])
  })
})
