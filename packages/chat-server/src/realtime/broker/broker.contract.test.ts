/** One contract for every broker driver: memory always, Redis when REDIS_URL is set. */
import { randomUUID } from 'node:crypto'
import { afterEach, describe, expect, it } from 'vitest'
import { MemoryBroker } from './memory.js'
import { RedisBroker } from './redis.js'
import type { Broker, Delivery } from './types.js'

const drivers: [string, (history: { size: number; ttlSeconds: number }) => Broker][] = [
  ['memory', (history) => new MemoryBroker({ history })],
]
if (process.env.REDIS_URL) {
  const url = process.env.REDIS_URL
  const prefix = `test:${randomUUID()}:`
  drivers.push(['redis', (history) => new RedisBroker({ url, prefix, history })])
}

const waitFor = async (predicate: () => boolean) => {
  for (let i = 0; i < 250 && !predicate(); i++) await new Promise((r) => setTimeout(r, 10))
  if (!predicate()) throw new Error('timed out')
}

describe.each(drivers)('%s broker', (_name, make) => {
  const opened: Broker[] = []
  const open = (history = { size: 100, ttlSeconds: 60 }) => {
    const broker = make(history)
    opened.push(broker)
    const deliveries: Delivery[] = []
    broker.setHandler({ onDelivery: (d) => deliveries.push(d), onControl: () => {} })
    return { broker, deliveries }
  }
  afterEach(async () => {
    for (const b of opened.splice(0)) await b.close()
  })

  it('assigns contiguous offsets under one epoch and delivers ready frames in order', async () => {
    const { broker, deliveries } = open()
    const ch = `chat:a:${randomUUID()}`
    await broker.subscribe(ch)
    const positions = []
    for (let i = 0; i < 5; i++) positions.push(await broker.publish(ch, { i }))
    expect(positions.map((p) => p?.offset)).toEqual([1, 2, 3, 4, 5])
    expect(new Set(positions.map((p) => p?.epoch)).size).toBe(1)
    await waitFor(() => deliveries.length === 5)
    expect(deliveries.map((d) => d.offset)).toEqual([1, 2, 3, 4, 5])
    expect(JSON.parse(deliveries[2]?.frame as string)).toEqual({
      push: { channel: ch, pub: { data: { i: 2 }, offset: 3 } },
    })
  })

  it('keeps a stable epoch for an empty channel between a position read and the first publish', async () => {
    const { broker } = open()
    const ch = `chat:a:${randomUUID()}`
    const before = await broker.history(ch, { limit: 0 })
    const pos = await broker.publish(ch, { x: 1 })
    expect(before.position.offset).toBe(0)
    expect(pos?.epoch).toBe(before.position.epoch)
  })

  it('serves history since a position, newest-first on reverse, bounded by size', async () => {
    const { broker } = open({ size: 3, ttlSeconds: 60 })
    const ch = `chat:a:${randomUUID()}`
    for (let i = 1; i <= 5; i++) await broker.publish(ch, { i })
    const all = await broker.history(ch, { limit: 10 })
    expect(all.publications.map((p) => p.offset)).toEqual([3, 4, 5])
    expect(all.position.offset).toBe(5)
    const since = await broker.history(ch, { limit: -1, since: { offset: 3, epoch: all.position.epoch } })
    expect(since.publications.map((p) => p.offset)).toEqual([4, 5])
    const reverse = await broker.history(ch, { limit: 2, reverse: true })
    expect(reverse.publications.map((p) => p.offset)).toEqual([5, 4])
  })

  it('publishes ephemeral events without an offset and outside history', async () => {
    const { broker, deliveries } = open()
    const ch = `chat:a:${randomUUID()}`
    await broker.subscribe(ch)
    expect(await broker.publish(ch, { type: 'typing.start' }, { history: false })).toBeNull()
    await waitFor(() => deliveries.length === 1)
    expect(deliveries[0]?.offset).toBeUndefined()
    expect((await broker.history(ch, { limit: 10 })).publications).toEqual([])
  })

  it('dedupes a repeated idempotency key', async () => {
    const { broker } = open()
    const ch = `chat:a:${randomUUID()}`
    const a = await broker.publish(ch, { n: 1 }, { idempotencyKey: 'k1' })
    const b = await broker.publish(ch, { n: 1 }, { idempotencyKey: 'k1' })
    const c = await broker.publish(ch, { n: 2 }, { idempotencyKey: 'k2' })
    expect(b).toEqual(a)
    expect(c?.offset).toBe(2)
  })

  it('tracks presence per client and counts distinct users', async () => {
    const { broker } = open()
    const ch = `chat:a:${randomUUID()}`
    await broker.addPresence(ch, 'c1', { user: 'u1', client: 'c1' })
    await broker.addPresence(ch, 'c2', { user: 'u1', client: 'c2' })
    await broker.addPresence(ch, 'c3', { user: 'u2', client: 'c3' })
    expect(await broker.presenceStats(ch)).toEqual({ numClients: 3, numUsers: 2 })
    await broker.removePresence(ch, 'c2')
    expect(Object.keys(await broker.presence(ch)).sort()).toEqual(['c1', 'c3'])
  })

  it('reaches other nodes: a publish on one broker is delivered by another sharing the backend', async () => {
    const a = open()
    const ch = `chat:a:${randomUUID()}`
    await a.broker.subscribe(ch)
    // For memory "another node" is the same process; for Redis it is a second connection pair.
    const other = _name === 'memory' ? a : open()
    await other.broker.publish(ch, { hop: true })
    await waitFor(() => a.deliveries.length === 1)
    expect(a.deliveries[0]?.offset).toBe(1)
  })
})
