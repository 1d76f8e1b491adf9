/**
 * `npm run drill -- restore|failover|redis-loss`: runs an operations drill against real services on
 * loopback and writes bench/results/drill-<name>.json (the figures docs/operations cites).
 * The drills' tests (drills.test.ts) run the same code in CI and check the outcomes, not the times.
 */
import { mkdir, writeFile } from 'node:fs/promises'
import { runFailoverDrill } from './failover.js'
import { runRedisLossDrill } from './redis-loss.js'
import { runRestoreDrill } from './restore.js'

const databaseUrl = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

const drills: Record<string, () => Promise<unknown>> = {
  restore: () => runRestoreDrill(databaseUrl),
  // both modes in one run, so what asynchronous replication costs is read beside synchronous
  failover: async () => ({ sync: await runFailoverDrill('sync'), async: await runFailoverDrill('async') }),
  'redis-loss': () => runRedisLossDrill(databaseUrl),
}

const name = process.argv[2] ?? ''
const drill = drills[name]
if (!drill) {
  console.error(`usage: npm run drill -- ${Object.keys(drills).join('|')}`)
  process.exit(2)
}
const started = Date.now()
const result = await drill()
const report = {
  drill: name,
  at: new Date().toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  result,
}
console.log(JSON.stringify(report, null, 2))
await mkdir(new URL('../results/', import.meta.url), { recursive: true })
const path = new URL(`../results/drill-${name}.json`, import.meta.url)
await writeFile(path, `${JSON.stringify(report, null, 2)}\n`)
console.log(`written: ${path.pathname}`)
