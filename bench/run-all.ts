/**
 * `npm run bench`: runs every side-by-side benchmark once, in sequence (they share two cores, so
 * never in parallel), prints each result and writes them all to bench/results/latest.json.
 * Benchmarks that need PostgreSQL or Redis use DATABASE_URL / REDIS_URL, defaulting to the local
 * services on loopback.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises'

process.env.DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/test'
process.env.REDIS_URL ??= 'redis://127.0.0.1:6379'

const suites: Record<string, string> = {
  'kit-overhead': './kit-overhead.ts',
  'chat-send': './chat-send.ts',
  realtime: './realtime/index.ts',
  router: './router.ts',
  indexer: './indexer.ts',
  gas: './gas.ts',
  startup: './startup.ts',
  'intel-chain': './intel-chain.ts',
  'intel-predict': './intel-predict/index.ts',
  'intel-language': './intel-language/index.ts',
  'intel-sla': './intel-sla/index.ts',
  'dex-web': './dex-web.ts',
  'chat-react': './chat-react.ts',
  'chat-client': './chat-client.ts',
}

const only = process.argv.slice(2)
const latest = new URL('./results/latest.json', import.meta.url)
// `npm run bench -- <suite>` refreshes that suite and keeps the others' last results.
const results: Record<string, unknown> =
  only.length > 0
    ? await readFile(latest, 'utf8').then(
        (text) => JSON.parse(text).results,
        () => ({}),
      )
    : {}
const bigintSafe = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)

for (const [name, path] of Object.entries(suites)) {
  if (only.length > 0 && !only.includes(name)) continue
  console.log(`\n=== ${name}`)
  const started = Date.now()
  try {
    const mod = (await import(path)) as { run: () => Promise<unknown> }
    results[name] = await mod.run()
    console.log(JSON.stringify(results[name], bigintSafe, 2))
  } catch (error) {
    results[name] = { error: String(error) }
    console.error(`${name} failed:`, error)
  }
  console.log(`(${name} took ${Math.round((Date.now() - started) / 1000)} s)`)
}

await mkdir(new URL('./results/', import.meta.url), { recursive: true })
await writeFile(latest, `${JSON.stringify({ at: new Date().toISOString(), results }, bigintSafe, 2)}\n`)
console.log('\nwritten: bench/results/latest.json')
