/** One-process broker: per-channel ring of publications, presence maps, direct fan-out. */
import { randomUUID } from 'node:crypto'
import { type ClientInfo, type Publication, pushJoin, pushLeave, type StreamPosition } from '../protocol.js'
import {
  type Broker,
  type BrokerHandler,
  type ControlMessage,
  DEFAULT_HISTORY,
  type HistoryOptions,
  type HistoryQuery,
  type HistoryResult,
  IDEMPOTENCY_WINDOW_SECONDS,
  type PresenceStats,
  type PublishOptions,
  publicationFrame,
} from './types.js'

interface Stream {
  epoch: string
  top: number
  pubs: Publication[]
  expiresAt: number
}

export interface MemoryBrokerOptions {
  history?: Partial<HistoryOptions>
  now?: () => number
}

export class MemoryBroker implements Broker {
  private handler: BrokerHandler | null = null
  private readonly streams = new Map<string, Stream>()
  private readonly presenceByChannel = new Map<string, Map<string, ClientInfo>>()
  private readonly idempotent = new Map<string, { result: StreamPosition | null; until: number }>()
  private readonly limits: HistoryOptions
  private readonly now: () => number

  constructor(options: MemoryBrokerOptions = {}) {
    this.limits = { ...DEFAULT_HISTORY, ...options.history }
    this.now = options.now ?? Date.now
  }

  setHandler(handler: BrokerHandler): void {
    this.handler = handler
  }

  private stream(channel: string): Stream {
    const now = this.now()
    let s = this.streams.get(channel)
    if (s && s.expiresAt <= now) {
      // An expired stream is gone with its position, as a Redis stream whose keys expired.
      this.streams.delete(channel)
      s = undefined
    }
    if (!s) {
      s = {
        epoch: randomUUID().slice(0, 8),
        top: 0,
        pubs: [],
        expiresAt: now + this.limits.ttlSeconds * 1000,
      }
      this.streams.set(channel, s)
    }
    return s
  }

  async publish(
    channel: string,
    data: unknown,
    options: PublishOptions = {},
  ): Promise<StreamPosition | null> {
    const now = this.now()
    if (options.idempotencyKey) {
      const key = `${channel}\u0000${options.idempotencyKey}`
      const seen = this.idempotent.get(key)
      if (seen && seen.until > now) return seen.result
      const result = this.publishNow(channel, data, options, now)
      this.idempotent.set(key, { result, until: now + IDEMPOTENCY_WINDOW_SECONDS * 1000 })
      if (this.idempotent.size > 100_000) this.pruneIdempotency(now)
      return result
    }
    return this.publishNow(channel, data, options, now)
  }

  private publishNow(
    channel: string,
    data: unknown,
    options: PublishOptions,
    now: number,
  ): StreamPosition | null {
    const pub: Publication = { data }
    if (options.info) pub.info = options.info
    if (options.tags) pub.tags = options.tags
    let position: StreamPosition | null = null
    if (options.history !== false) {
      const s = this.stream(channel)
      s.top += 1
      pub.offset = s.top
      s.pubs.push(pub)
      if (s.pubs.length > this.limits.size) s.pubs.splice(0, s.pubs.length - this.limits.size)
      s.expiresAt = now + this.limits.ttlSeconds * 1000
      position = { offset: s.top, epoch: s.epoch }
    }
    this.handler?.onDelivery({
      kind: 'pub',
      channel,
      frame: publicationFrame(channel, pub),
      offset: position?.offset,
      epoch: position?.epoch,
      publishedAt: now,
    })
    return position
  }

  private pruneIdempotency(now: number): void {
    for (const [k, v] of this.idempotent) if (v.until <= now) this.idempotent.delete(k)
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    this.handler?.onDelivery({
      kind: 'join',
      channel,
      frame: pushJoin(channel, info),
      publishedAt: this.now(),
    })
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    this.handler?.onDelivery({
      kind: 'leave',
      channel,
      frame: pushLeave(channel, info),
      publishedAt: this.now(),
    })
  }

  async publishControl(message: ControlMessage): Promise<void> {
    this.handler?.onControl(message)
  }

  async subscribe(): Promise<void> {}
  async unsubscribe(): Promise<void> {}

  async history(channel: string, query: HistoryQuery): Promise<HistoryResult> {
    const s = this.stream(channel)
    const position = { offset: s.top, epoch: s.epoch }
    if (query.limit === 0) return { publications: [], position }
    let pubs = s.pubs
    if (query.since) pubs = pubs.filter((p) => (p.offset ?? 0) > (query.since?.offset ?? 0))
    if (query.reverse) pubs = [...pubs].reverse()
    if (query.limit > 0) pubs = pubs.slice(0, query.limit)
    return { publications: pubs, position }
  }

  async removeHistory(channel: string): Promise<void> {
    const s = this.streams.get(channel)
    if (s) s.pubs = []
  }

  async addPresence(channel: string, clientId: string, info: ClientInfo): Promise<void> {
    let m = this.presenceByChannel.get(channel)
    if (!m) {
      m = new Map()
      this.presenceByChannel.set(channel, m)
    }
    m.set(clientId, info)
  }

  async removePresence(channel: string, clientId: string): Promise<void> {
    const m = this.presenceByChannel.get(channel)
    if (!m) return
    m.delete(clientId)
    if (m.size === 0) this.presenceByChannel.delete(channel)
  }

  async presence(channel: string): Promise<Record<string, ClientInfo>> {
    return Object.fromEntries(this.presenceByChannel.get(channel) ?? [])
  }

  async presenceStats(channel: string): Promise<PresenceStats> {
    const m = this.presenceByChannel.get(channel)
    if (!m) return { numClients: 0, numUsers: 0 }
    return { numClients: m.size, numUsers: new Set([...m.values()].map((i) => i.user)).size }
  }

  async close(): Promise<void> {
    this.handler = null
  }
}
