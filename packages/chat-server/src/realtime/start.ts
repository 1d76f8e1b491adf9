/**
 * `npm run start:gateway`: a gateway node on its own (GATEWAY_PORT, default 5600). It is the chat
 * server process with background workers off, because the gateway checks tokens and membership
 * with the API's own code and database; route only `/connection/websocket` and `/api/*` to it.
 * Several nodes need DATABASE_URL and REDIS_URL (PGlite cannot be shared between processes).
 */
import { startChatServer } from '../main.js'

const port = Number(process.env.GATEWAY_PORT ?? 5600)
const server = await startChatServer({ port, workers: false })
const ws = server.url.replace(/^http/, 'ws')
console.log(`ChatSDK gateway  ${ws}/connection/websocket  (server API: ${server.url}/api/<method>)`)

let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return
    closing = true
    server.close().then(
      () => process.exit(0),
      (error) => {
        console.error(error)
        process.exit(1)
      },
    )
  })
}
