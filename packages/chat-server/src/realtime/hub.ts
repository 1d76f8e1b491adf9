/**
 * Node-local fan-out: which connections on this node read which channel. The broker hands each
 * delivery over once; the hub encodes it once (line and WebSocket frame) and every reader gets
 * the same bytes.
 */
import type { Broker, Delivery } from './broker/types.js'
import { SharedFrame } from './frame.js'

export interface HubEntry {
  channel: string
  deliver(delivery: Delivery, frame: SharedFrame): boolean
}

export interface HubStats {
  onFanout(delivered: number, publishedAt: number): void
}

export class Hub {
  private readonly channels = new Map<string, Set<HubEntry>>()
  private readonly interest = new Map<string, Promise<void>>()

  constructor(
    private readonly broker: Broker,
    private readonly stats: HubStats,
  ) {}

  /** Registers a reader; resolves once the broker delivers the channel to this node. */
  async add(entry: HubEntry): Promise<void> {
    let set = this.channels.get(entry.channel)
    if (!set) {
      set = new Set()
      this.channels.set(entry.channel, set)
    }
    set.add(entry)
    let ready = this.interest.get(entry.channel)
    if (!ready) {
      ready = this.broker.subscribe(entry.channel)
      this.interest.set(entry.channel, ready)
      ready.catch(() => this.interest.delete(entry.channel))
    }
    await ready
  }

  remove(entry: HubEntry): void {
    const set = this.channels.get(entry.channel)
    if (!set?.delete(entry) || set.size > 0) return
    this.channels.delete(entry.channel)
    this.interest.delete(entry.channel)
    this.broker.unsubscribe(entry.channel).catch(() => {})
  }

  deliver(delivery: Delivery): void {
    const set = this.channels.get(delivery.channel)
    if (!set || set.size === 0) return
    const frame = new SharedFrame(delivery.frame)
    let delivered = 0
    for (const entry of set) if (entry.deliver(delivery, frame)) delivered++
    if (delivered > 0) this.stats.onFanout(delivered, delivery.publishedAt)
  }

  channelCount(): number {
    return this.channels.size
  }

  /** Local readers of a channel (server API `channels`, tests). */
  readers(channel: string): number {
    return this.channels.get(channel)?.size ?? 0
  }
}
