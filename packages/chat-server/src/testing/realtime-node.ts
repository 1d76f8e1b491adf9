import { createCache } from '@platform/service-kit/cache'
import type { Database } from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { buildChatApp } from '../app.js'
import { loadChatConfig } from '../config.js'
import { loadRealtimeConfig } from '../realtime/config.js'
import { createRealtimePlugin } from '../realtime/plugin.js'
import { RawClient } from '../realtime/test-support.js'
import { ADMIN_KEY } from './harness.js'

/**
 * A ChatSDK API node with the built-in gateway and a fast outbox relay, listening on a random
 * port. Nodes started on the same database with the same prefix share one cluster (with REDIS_URL:
 * one Redis broker; without it each node has its own memory broker).
 */
export async function startRealtimeNode(
  database: Database,
  prefix: string,
): Promise<{ app: App; wsUrl: string }> {
  const env = { ...process.env, ADMIN_API_KEY: ADMIN_KEY, LOG_LEVEL: 'silent', NODE_ENV: 'test' }
  const { config } = loadChatConfig(env)
  const realtime = createRealtimePlugin(
    loadRealtimeConfig({ ...env, REALTIME_OUTBOX_POLL_MS: '20', REALTIME_REDIS_PREFIX: prefix }),
  )
  const cache = createCache({ redisUrl: process.env.REDIS_URL, keyPrefix: `${prefix}cache:` })
  const app = await buildChatApp({
    database,
    config,
    cache,
    realtime,
    logger: createLogger({ service: 'chat-test', level: 'silent' }),
    workers: false,
  })
  app.addHook('onClose', () => cache.close())
  await app.listen({ port: 0, host: '127.0.0.1' })
  const port = (app.server.address() as { port: number }).port
  return { app, wsUrl: `ws://127.0.0.1:${port}/connection/websocket` }
}

let commandId = 1_000_000

/** A raw protocol connection with `token`, subscribed to `channels`; throws when either is refused. */
export async function connectRaw(wsUrl: string, token: string, channels: string[] = []): Promise<RawClient> {
  const socket = await RawClient.open(wsUrl)
  const connected = await socket.call({ id: commandId++, connect: { token } })
  if (!connected.connect) throw new Error(`connect refused: ${JSON.stringify(connected)}`)
  for (const channel of channels) {
    const reply = await socket.call({ id: commandId++, subscribe: { channel } })
    if (!reply.subscribe) throw new Error(`subscribe ${channel} refused: ${JSON.stringify(reply)}`)
  }
  return socket
}
