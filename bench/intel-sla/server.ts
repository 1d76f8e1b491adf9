/**
 * The server under test for intel-sla, in its own process (so the load generator never shares its
 * event loop): Soba DEX with every intelligence service this branch builds, the embedded chain
 * and simulator trading, on PostgreSQL/Redis when DATABASE_URL/REDIS_URL are set (a fresh schema,
 * dropped on exit). Prints one JSON line with its URL when ready; stops on SIGTERM.
 */
import { randomBytes } from 'node:crypto'
import { openDatabase } from '@platform/service-kit/db'
import { startDexServer } from '@soba/dex-server/main'
import { sql } from 'kysely'

const port = Number(process.env.SLA_PORT ?? 47100)
const schema = `bench_sla_${randomBytes(4).toString('hex')}`
const server = await startDexServer({
  port,
  host: '127.0.0.1',
  schema,
  env: {
    ...process.env,
    LOG_LEVEL: process.env.LOG_LEVEL ?? 'warn',
    RPC_PORT: process.env.SLA_RPC_PORT ?? String(port + 1),
    // Forecasts from the first minutes of trading; retrain every minute so training runs under load.
    PREDICT_RETRAIN_MINUTES: '1',
    PREDICT_REFRESH_MS: '2000',
    // 50 clients share one address: the per-tenant translation budget would answer most with 429.
    TRANSLATE_RATE_PER_MINUTE: '1000000',
    // Likewise the per-IP limit on /v1: it still runs on every request (its cost is measured),
    // but every client comes from 127.0.0.1, so the default would answer most of them 429.
    RATE_LIMIT_IP_PER_MINUTE: '100000000',
  },
})
console.log(JSON.stringify({ url: server.url }))

async function stop() {
  await server.close()
  if (process.env.DATABASE_URL) {
    const db = await openDatabase({ url: process.env.DATABASE_URL, schema, poolSize: 1 })
    await sql.raw(`drop schema if exists "${schema}" cascade`).execute(db.kysely)
    await db.close()
  }
  process.exit(0)
}
process.on('SIGTERM', () => void stop())
process.on('SIGINT', () => void stop())
