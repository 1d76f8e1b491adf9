/** Runs ChatSDK alone: `tsx packages/chat-server/src/start.ts` (embedded defaults, or env services). */
import { startChatServer } from './main.js'

const server = await startChatServer()
console.log(`ChatSDK  ${server.url}  (docs: ${server.url}/docs)`)

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
