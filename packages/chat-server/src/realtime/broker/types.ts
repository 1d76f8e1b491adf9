/**
 * The broker moves publications between gateway nodes and keeps each channel's bounded history
 * (the stream clients recover from) and presence. One node: memory. Several nodes: Redis.
 */
import type { ClientInfo, Publication, StreamPosition } from '../protocol.js'

/** What a node receives for a channel it has interest in. `frame` is the ready-to-send push line. */
export interface Delivery {
  kind: 'pub' | 'join' | 'leave'
  channel: string
  frame: string
  /** Stream position of a durable publication; ephemeral ones (typing) carry none. */
  offset?: number
  epoch?: string
  /** Publish time in ms since the epoch, for the publish-to-deliver histogram. */
  publishedAt: number
}

/** Node-wide commands (server API disconnect/unsubscribe) reach every node. */
export type ControlMessage =
  | { type: 'disconnect'; user: string; client?: string; code: number; reason: string }
  | { type: 'unsubscribe'; user: string; channel: string; client?: string }

export interface BrokerHandler {
  onDelivery(delivery: Delivery): void
  onControl(message: ControlMessage): void
}

export interface PublishOptions {
  /** Keep in the channel stream (gets an offset). False for ephemeral events. Default true. */
  history?: boolean
  info?: ClientInfo
  tags?: Record<string, string>
  /** A repeat with the same key inside the dedupe window returns the first result, publishes nothing. */
  idempotencyKey?: string
}

export interface HistoryQuery {
  /** Publications after this position; without it, the newest ones (or only the position when limit is 0). */
  since?: StreamPosition
  limit: number
  reverse?: boolean
}

export interface HistoryResult {
  publications: Publication[]
  position: StreamPosition
}

export interface PresenceStats {
  numClients: number
  numUsers: number
}

export interface Broker {
  setHandler(handler: BrokerHandler): void
  publish(channel: string, data: unknown, options?: PublishOptions): Promise<StreamPosition | null>
  publishJoin(channel: string, info: ClientInfo): Promise<void>
  publishLeave(channel: string, info: ClientInfo): Promise<void>
  publishControl(message: ControlMessage): Promise<void>
  /** Start/stop receiving a channel's deliveries on this node. Resolves once interest is live. */
  subscribe(channel: string): Promise<void>
  unsubscribe(channel: string): Promise<void>
  history(channel: string, query: HistoryQuery): Promise<HistoryResult>
  removeHistory(channel: string): Promise<void>
  addPresence(channel: string, clientId: string, info: ClientInfo): Promise<void>
  removePresence(channel: string, clientId: string): Promise<void>
  presence(channel: string): Promise<Record<string, ClientInfo>>
  presenceStats(channel: string): Promise<PresenceStats>
  close(): Promise<void>
}

export interface HistoryOptions {
  /** Publications kept per channel stream. */
  size: number
  /** Seconds a stream lives after its last publication. */
  ttlSeconds: number
}

export const DEFAULT_HISTORY: HistoryOptions = { size: 1000, ttlSeconds: 3600 }

/** Seconds an idempotency key is remembered, as in Centrifugo. */
export const IDEMPOTENCY_WINDOW_SECONDS = 300

/** Builds the push line once per publication, shared by every receiving connection. */
export function publicationFrame(channel: string, pub: Publication): string {
  return JSON.stringify({ push: { channel, pub } })
}
