/**
 * `npm run load -- chat|dex [--quick]`: the in-repo load harness (k6 cannot run here; the k6
 * scripts in deploy/load/k6 are for users). Starts the product as its own process (embedded
 * defaults, or DATABASE_URL / REDIS_URL when set), runs the reports' profile with autocannon (and,
 * for ChatSDK, 1,000 WebSocket connections listening throughout), shows progress, and writes
 * bench/results/load-<product>.{json,html} with p50/p95/p99 per endpoint beside the SLA.
 *
 * Knobs: LOAD_SCALE (durations × this; --quick = 0.1), LOAD_PORT (default 49100; the DEX's chain
 * RPC takes the next port), LOAD_WS_CONNECTIONS (default 1000).
 * Per-user rate limits are raised for the run: they are a policy, and at 50 virtual users acting
 * as 50 users they would turn most requests into 429s and measure the limiter, not the service.
 */
import { randomBytes } from 'node:crypto'
import { mkdtemp, rm } from 'node:fs/promises'
import { cpus, loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { type PreparedTarget, prepareChat } from './chat-target.js'
import { prepareDex } from './dex-target.js'
import { type EndpointSamples, runHttpStep } from './http-step.js'
import { percentile, summarize } from './percentiles.js'
import { planSteps, REPORT_STAGES, THRESHOLDS } from './profile.js'
import { type EndpointResult, type LoadReport, writeReport } from './report.js'
import { startProductProcess } from './server-process.js'
import { openWsFleet, type WsFleet } from './ws-clients.js'

const STAGE_NAMES = ['warm-up', 'ramp', 'sustain', 'ramp-down']

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const product = args.find((a) => !a.startsWith('--'))
  if (product !== 'chat' && product !== 'dex') {
    console.error('usage: npm run load -- chat|dex [--quick]')
    process.exit(2)
  }
  const scale = args.includes('--quick') ? 0.1 : Number(process.env.LOAD_SCALE ?? 1)
  const port = Number(process.env.LOAD_PORT ?? 49_100)
  const wsCount = Number(process.env.LOAD_WS_CONNECTIONS ?? 1000)
  const steps = planSteps(REPORT_STAGES, 5, scale)
  const dataDir = await mkdtemp(join(tmpdir(), `load-${product}-`))
  const adminKey = randomBytes(24).toString('hex')

  console.log(
    `load ${product}: starting the server on :${port} (${process.env.DATABASE_URL ? 'PostgreSQL' : 'embedded PGlite'})`,
  )
  if (!process.env.DATABASE_URL) {
    // Measured: embedded runs stall every route, health included, for seconds at a time (PGlite
    // executes SQL in WebAssembly on the server's own thread), so they say nothing about production.
    console.warn(
      'load: DATABASE_URL is not set; embedded PGlite runs each query on the server thread, so a slow query stalls every route. Set DATABASE_URL and REDIS_URL for production figures.',
    )
  }
  const server = await startProductProcess(product, port, {
    NODE_ENV: 'development',
    DATA_DIR: dataDir,
    ADMIN_API_KEY: adminKey,
    RPC_PORT: String(port + 1),
    RATE_LIMIT_USER_PER_MINUTE: '100000000',
    RATE_LIMIT_USER_SENDS_PER_MINUTE: '100000000',
    RATE_LIMIT_IP_PER_MINUTE: '100000000',
  })
  let fleet: WsFleet | undefined
  try {
    console.log('preparing fixtures')
    const target: PreparedTarget =
      product === 'chat' ? await prepareChat(server.url, adminKey) : await prepareDex(server.url)
    if (target.ws && wsCount > 0) {
      fleet = await openWsFleet(target.ws, wsCount, 50, (opened) =>
        process.stdout.write(`\rwebsocket connections: ${opened}/${wsCount}`),
      )
      process.stdout.write('\n')
    }

    const totals = new Map<string, EndpointSamples>()
    const perStep: Map<string, EndpointSamples>[] = []
    const started = Date.now()
    for (const [index, step] of steps.entries()) {
      const samples = new Map<string, EndpointSamples>()
      await runHttpStep(server.url, target.endpoints, step.connections, step.seconds, samples)
      perStep.push(samples)
      let requests = 0
      for (const [name, s] of samples) {
        const total = totals.get(name) ?? { latenciesMs: [], errors: 0, statuses: {} }
        for (const ms of s.latenciesMs) total.latenciesMs.push(ms)
        total.errors += s.errors
        for (const [status, n] of Object.entries(s.statuses))
          total.statuses[status] = (total.statuses[status] ?? 0) + n
        totals.set(name, total)
        requests += s.latenciesMs.length
      }
      console.log(
        `step ${index + 1}/${steps.length} ${STAGE_NAMES[step.stage]}: ${step.connections} connections, ${step.seconds} s, ${Math.round(requests / step.seconds)} req/s`,
      )
    }
    const totalSeconds = Math.round((Date.now() - started) / 1000)

    const endpoints: EndpointResult[] = target.endpoints.map((endpoint) => {
      const samples = totals.get(endpoint.name) ?? { latenciesMs: [], errors: 0, statuses: {} }
      const summary = summarize(samples.latenciesMs, samples.errors)
      const slaP95Ms = endpoint.kind === 'health' ? THRESHOLDS.healthP95Ms : THRESHOLDS.apiP95Ms
      return {
        name: endpoint.name,
        kind: endpoint.kind,
        ...summary,
        slaP95Ms,
        slaMet: summary.p95Ms < slaP95Ms,
        statuses: samples.statuses,
        p95ByStep: perStep.map((step) => {
          const values = [...(step.get(endpoint.name)?.latenciesMs ?? [])].sort((a, b) => a - b)
          return percentile(values, 95)
        }),
      }
    })
    const requests = endpoints.reduce((sum, e) => sum + e.requests, 0)
    const errors = endpoints.reduce((sum, e) => sum + e.errors, 0)
    const errorRate = requests === 0 ? 0 : errors / requests
    const websocket = fleet?.report()
    const report: LoadReport = {
      product,
      at: new Date().toISOString(),
      machine: {
        cpus: cpus().length,
        loadAverage: loadavg(),
        database: process.env.DATABASE_URL ? 'PostgreSQL' : 'PGlite (embedded)',
        cache: process.env.REDIS_URL ? 'Redis' : 'in-memory',
      },
      steps,
      totalSeconds,
      requestsPerSecond: Math.round(requests / Math.max(1, totalSeconds)),
      errorRate: Math.round(errorRate * 10_000) / 10_000,
      thresholds: THRESHOLDS,
      endpoints,
      ...(websocket ? { websocket } : {}),
      passed:
        endpoints.every((e) => e.slaMet) &&
        errorRate < THRESHOLDS.errorRate &&
        (websocket === undefined || (websocket.failed === 0 && websocket.unexpectedCloses === 0)),
    }
    const paths = await writeReport(report, new URL('../results/', import.meta.url))
    console.table(
      endpoints.map((e) => ({
        endpoint: e.name,
        requests: e.requests,
        p50: e.p50Ms,
        p95: e.p95Ms,
        p99: e.p99Ms,
        errors: e.errors,
        sla: `<${e.slaP95Ms}`,
        met: e.slaMet,
      })),
    )
    if (websocket) console.log('websocket:', JSON.stringify(websocket))
    console.log(
      `${report.passed ? 'PASSED' : 'THRESHOLDS MISSED'}: ${report.requestsPerSecond} req/s, errors ${(errorRate * 100).toFixed(2)}%`,
    )
    console.log(`written: ${paths.json}\n         ${paths.html}`)
    process.exitCode = report.passed ? 0 : 1
  } finally {
    await fleet?.close()
    await server.stop()
    await rm(dataDir, { recursive: true, force: true })
  }
}

main().catch((error) => {
  console.error(error)
  process.exit(1)
})
