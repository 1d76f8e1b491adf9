/** Realtime settings, read once from the environment through a typed schema. */
import { loadConfig, secret } from '@platform/service-kit/config'
import { type Static, Type } from '@sinclair/typebox'

export const realtimeConfigSchema = Type.Object({
  REDIS_URL: Type.Optional(
    Type.String({ description: 'Several gateway nodes share this Redis (pub/sub, streams, presence)' }),
  ),
  REALTIME_REDIS_PREFIX: Type.String({ default: 'chatsdk:rt:' }),
  REALTIME_API_KEY: Type.Optional(
    secret(
      Type.String({
        minLength: 16,
        description: 'Key of the gateway server API (`Authorization: apikey …`)',
      }),
    ),
  ),
  CENTRIFUGO_API_URL: Type.Optional(
    Type.String({
      description: 'Publish to a Centrifugo v5 cluster instead of running the built-in gateway',
    }),
  ),
  CENTRIFUGO_API_KEY: Type.Optional(secret(Type.String({ minLength: 8 }))),
  REALTIME_HISTORY_SIZE: Type.Integer({ minimum: 1, default: 1000 }),
  REALTIME_HISTORY_TTL_SECONDS: Type.Integer({ minimum: 1, default: 3600 }),
  REALTIME_PING_INTERVAL_MS: Type.Integer({ minimum: 1000, default: 25_000 }),
  REALTIME_MAX_FRAME_BYTES: Type.Integer({ minimum: 1024, default: 65_536 }),
  REALTIME_MAX_BUFFERED_BYTES: Type.Integer({ minimum: 1024, default: 4 * 1024 * 1024 }),
  REALTIME_RELAY: Type.Boolean({ default: true, description: 'Run the outbox relay in this process' }),
  REALTIME_OUTBOX_POLL_MS: Type.Integer({ minimum: 10, default: 100 }),
})

export type RealtimeConfig = Static<typeof realtimeConfigSchema>

export const loadRealtimeConfig = (env: NodeJS.ProcessEnv = process.env): RealtimeConfig =>
  loadConfig(realtimeConfigSchema, env)
