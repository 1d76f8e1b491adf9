/** What every connection of a gateway node shares. */
import type { ChannelAuthorizer, TokenVerifier } from './auth.js'
import type { Broker } from './broker/types.js'
import type { Hub } from './hub.js'
import type { GatewayMetrics } from './metrics.js'
import type { Session } from './session.js'

export interface GatewayLogger {
  info(obj: object, msg?: string): void
  warn(obj: object, msg?: string): void
  error(obj: object, msg?: string): void
}

export interface GatewayOptions {
  /** Seconds between server pings; a ping unanswered by the next one disconnects (3012). */
  pingIntervalMs: number
  /** A connection that sends no connect in this time is closed (3502). */
  staleMs: number
  /** Largest accepted frame; larger ones close the socket with 1009. */
  maxFrameBytes: number
  /** Send buffer bound per connection; past it the connection is closed as slow (3008). */
  maxBufferedBytes: number
  /** Grace after a token's exp before an unrefreshed connection is closed (3005). */
  expiredCloseDelayMs: number
  historySize: number
  historyTtlSeconds: number
  presence: boolean
  joinLeave: boolean
  maxChannelsPerConnection: number
  /** `data.type` values a client may publish itself (ephemeral, never stored). */
  clientPublishTypes: string[]
  typingRate: { perSecond: number; burst: number }
  /**
   * Commands per connection (every command but `ping`; pongs are not commands). Over it a command
   * is answered 111 without being run, so denied subscribes cannot turn into a database load.
   */
  commandRate: { perSecond: number; burst: number }
}

export const DEFAULT_GATEWAY_OPTIONS: GatewayOptions = {
  pingIntervalMs: 25_000,
  staleMs: 10_000,
  maxFrameBytes: 64 * 1024,
  maxBufferedBytes: 4 * 1024 * 1024,
  expiredCloseDelayMs: 25_000,
  historySize: 1000,
  historyTtlSeconds: 3600,
  presence: true,
  joinLeave: true,
  maxChannelsPerConnection: 512,
  clientPublishTypes: ['typing.start', 'typing.stop'],
  typingRate: { perSecond: 2, burst: 5 },
  commandRate: { perSecond: 20, burst: 100 },
}

export interface GatewayContext {
  options: GatewayOptions
  broker: Broker
  hub: Hub
  verifier: TokenVerifier
  authorizer: ChannelAuthorizer
  metrics: GatewayMetrics
  log: GatewayLogger
  nodeId: string
  version: string
  onSessionConnected(session: Session): void
  onSessionClosed(session: Session): void
  /** A connection presented a wrong, forged or revoked token (not an expired one). */
  onAuthFailure(session: Session): void
  /** Flushes the session's queued pushes at the end of this event-loop turn. */
  scheduleFlush(session: Session): void
}
