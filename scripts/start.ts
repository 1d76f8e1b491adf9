/**
 * Starts ChatSDK, Soba DEX or both in one process on embedded defaults.
 * When both run without DATABASE_URL they share one PGlite instance (a schema each), because a
 * PGlite instance costs ~800 MB and ~3 s to start.
 */
import { openEmbeddedPglite } from '@platform/service-kit/db'

type Which = 'all' | 'chat' | 'dex'

async function main(which: Which): Promise<void> {
  const pglite = process.env.DATABASE_URL
    ? undefined
    : await openEmbeddedPglite({ dataDir: process.env.DATA_DIR })
  const started: { name: string; url: string; close: () => Promise<void> }[] = []
  const env = which === 'all' ? withoutSharedPort(process.env) : process.env

  // Both start at once: the chain deploy and the migrations overlap instead of adding up.
  const starting: Promise<void>[] = []
  if (which === 'all' || which === 'chat') {
    starting.push(
      import('@chatsdk/server/main')
        .then(({ startChatServer }) => startChatServer({ pglite, env }))
        .then((chat) => void started.push({ name: 'ChatSDK', url: chat.url, close: chat.close })),
    )
  }
  if (which === 'all' || which === 'dex') {
    starting.push(
      import('@soba/dex-server/main')
        .then(({ startDexServer }) => startDexServer({ pglite, env }))
        .then((dex) => void started.push({ name: 'Soba DEX', url: dex.url, close: dex.close })),
    )
  }
  const outcomes = await Promise.allSettled(starting)
  const failed = outcomes.find((o): o is PromiseRejectedResult => o.status === 'rejected')
  if (failed) {
    await Promise.allSettled(started.map((s) => s.close()))
    throw failed.reason
  }

  for (const s of started) console.log(`${s.name.padEnd(9)} ${s.url}  (docs: ${s.url}/docs)`)

  let closing = false
  const shutdown = async (signal: string) => {
    if (closing) return
    closing = true
    console.log(`${signal}: draining and closing`)
    // Each close drains its in-flight requests; past the window we exit non-zero rather than hang.
    const drainWindowMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 15_000)
    const timer = setTimeout(() => {
      console.error(`drain window of ${drainWindowMs} ms expired`)
      process.exit(1)
    }, drainWindowMs)
    const results = await Promise.allSettled(started.map((s) => s.close()))
    await pglite?.close()
    clearTimeout(timer)
    process.exit(results.every((r) => r.status === 'fulfilled') ? 0 : 1)
  }
  process.on('SIGTERM', () => void shutdown('SIGTERM'))
  process.on('SIGINT', () => void shutdown('SIGINT'))
}

/**
 * With both products in one process a single PORT would put both on one port: each reads its own
 * CHAT_PORT / DEX_PORT instead (defaults 5500 and 3000), and PORT applies only to one product alone.
 */
function withoutSharedPort(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  if (env.PORT === undefined) return env
  console.warn(`PORT=${env.PORT} ignored: both products run here; set CHAT_PORT and DEX_PORT instead`)
  const { PORT: _ignored, ...rest } = env
  return rest
}

const which = (process.argv[2] ?? 'all') as Which
if (!['all', 'chat', 'dex'].includes(which)) {
  console.error(`usage: start.ts all|chat|dex (got ${which})`)
  process.exit(2)
}
main(which).catch((err) => {
  console.error(err)
  process.exit(1)
})
