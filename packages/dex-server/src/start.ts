/** Entry point: `tsx packages/dex-server/src/start.ts` runs Soba DEX alone (embedded defaults). */
import { startDexServer } from './main.js'

const server = await startDexServer()
console.log(`Soba DEX  ${server.url}  (docs: ${server.url}/docs, JSON-RPC: ${server.deps.chain.rpcUrl})`)
let closing = false
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.once(signal, () => {
    if (closing) return
    closing = true
    server.close().then(
      () => process.exit(0),
      () => process.exit(1),
    )
  })
}
