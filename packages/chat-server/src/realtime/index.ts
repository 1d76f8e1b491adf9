/**
 * ChatSDK realtime: a Centrifugo v5 protocol gateway. The API process (or `start.ts`) creates one
 * with `createGateway`, attaches it to its HTTP server, registers `serverApi`, and starts the
 * outbox relay.
 */
export type { ChannelAuthorizer, ConnectionIdentity, SubscriptionGrant, TokenVerifier } from './auth.js'
export { createJwtVerifier, TokenExpiredError } from './auth.js'
export { type BrokerConfig, createBroker } from './broker/index.js'
export { MemoryBroker } from './broker/memory.js'
export { RedisBroker } from './broker/redis.js'
export type { Broker } from './broker/types.js'
export { createCentrifugoPublisher } from './centrifugo-http.js'
export { chatChannel, parseChannel, userChannel } from './channels.js'
export { Disconnects, Errors } from './codes.js'
export { type CreateGatewayOptions, createGateway, type Gateway, WEBSOCKET_PATH } from './gateway.js'
export {
  type OutboxRelay,
  type OutboxRelayOptions,
  type RealtimeEvent,
  startOutboxRelay,
} from './outbox-relay.js'
export { apiAuthorizer, apiTokenVerifier, createRealtimePlugin } from './plugin.js'
export { createBrokerPublisher, type Publisher } from './publisher.js'

import { createRealtimePlugin } from './plugin.js'

/** The plugin `startChatServer` registers by default (config from the environment). */
export const realtimePlugin = (...args: Parameters<ReturnType<typeof createRealtimePlugin>>) =>
  createRealtimePlugin()(...args)
