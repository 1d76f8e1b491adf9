/**
 * How the API side (outbox relay, admin calls) reaches the realtime layer: the Centrifugo server
 * API operations. Two drivers: the built-in gateway (in process, straight to its broker) and any
 * Centrifugo v5 server HTTP API (a real Centrifugo cluster, or our gateway's own `/api`).
 */
import type { Broker, ControlMessage, PresenceStats } from './broker/types.js'
import type { ClientInfo, Publication, StreamPosition } from './protocol.js'

export interface PublishRequest {
  channel: string
  data: unknown
  /** Ephemeral events (typing) skip the stream and carry no offset. */
  skipHistory?: boolean
  idempotencyKey?: string
  tags?: Record<string, string>
}

export interface HistoryRequestOptions {
  limit?: number
  since?: StreamPosition
  reverse?: boolean
}

export interface Publisher {
  publish(req: PublishRequest): Promise<StreamPosition | null>
  broadcast(
    channels: string[],
    data: unknown,
    options?: Omit<PublishRequest, 'channel' | 'data'>,
  ): Promise<void>
  presence(channel: string): Promise<Record<string, ClientInfo>>
  presenceStats(channel: string): Promise<PresenceStats>
  history(
    channel: string,
    options?: HistoryRequestOptions,
  ): Promise<{ publications: Publication[]; position: StreamPosition }>
  /**
   * Closes every connection of a user (optionally one client) with a code, on every node. `user`
   * is `{appId}:{userId}` (`connectionUser`).
   */
  disconnect(user: string, options?: { client?: string; code?: number; reason?: string }): Promise<void>
  /** Ends a user's subscriptions to one channel on every node (server-side unsubscribe). */
  unsubscribe(user: string, channel: string, options?: { client?: string }): Promise<void>
  /** Drops a channel's stream (history and position); clients recovering from it get `recovered: false`. */
  removeHistory(channel: string): Promise<void>
  close?(): Promise<void>
}

/** The in-process driver: what the gateway's server API does, without HTTP. */
export function createBrokerPublisher(broker: Broker, historySize: number): Publisher {
  return {
    publish: (req) =>
      broker.publish(req.channel, req.data ?? null, {
        history: !req.skipHistory,
        idempotencyKey: req.idempotencyKey,
        tags: req.tags,
      }),
    async broadcast(channels, data, options = {}) {
      await Promise.all(channels.map((channel) => this.publish({ ...options, channel, data })))
    },
    presence: (channel) => broker.presence(channel),
    presenceStats: (channel) => broker.presenceStats(channel),
    history: (channel, options = {}) =>
      broker.history(channel, {
        limit: Math.min(options.limit ?? 0, historySize),
        since: options.since,
        reverse: options.reverse,
      }),
    async disconnect(user, options = {}) {
      const message: ControlMessage = {
        type: 'disconnect',
        user,
        client: options.client,
        code: options.code ?? 3503,
        reason: options.reason ?? 'force disconnect',
      }
      await broker.publishControl(message)
    },
    async unsubscribe(user, channel, options = {}) {
      await broker.publishControl({ type: 'unsubscribe', user, channel, client: options.client })
    },
    removeHistory: (channel) => broker.removeHistory(channel),
  }
}
