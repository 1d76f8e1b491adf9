/**
 * Kit overhead: the same JSON route served by a bare Fastify app and by createApp with the whole
 * kit on, measured with autocannon in one run. Target: the kit costs at most 25% of throughput.
 * A third server, `floor`, adds to bare Fastify only what the issue prescribes that every response
 * and every request must carry, each done at its cheapest: the response headers (security set,
 * request id, RateLimit fields), an AsyncLocalStorage context per request and one pino line per
 * request. No tracing, metrics or rate-limit logic. It shows how much of the target those
 * prescribed outputs alone use up on the machine that runs the bench. A fourth, `busy`, is bare
 * Fastify plus a fixed busy-wait per request (KIT_BENCH_BUSY_MICROS, default 10 µs): it calibrates
 * the harness, showing what share of throughput a known amount of pure CPU per request costs
 * when the load generator shares the machine.
 *
 * What the kit route has on, as a production deploy of either product gets it by default:
 * - security headers (helmet's defaults, precomputed), a request id (UUIDv7) per request, the
 *   problem+json error handling, and the HTTP metrics (request counter, duration histogram,
 *   request and response size histograms, in-flight gauge) with default process metrics;
 * - ECS JSON logging at `info` with masking: one "request completed" line per request, written
 *   to a file (written in 64 KiB chunks), each line with request.id and trace.id
 *   taken from AsyncLocalStorage;
 * - the OpenTelemetry NodeSDK (http client, pg and ioredis instrumentations, batch span
 *   processor with a no-op exporter), a server span per request from the kit's hook with W3C
 *   traceparent in and out, and the sampling a production deploy gets from its config:
 *   OTEL_TRACES_SAMPLER / OTEL_TRACES_SAMPLER_ARG read through the base config schema, by default
 *   parent-based 10 % of new traces (set OTEL_TRACES_SAMPLER_ARG=1 to measure tracing every
 *   request). The sampler and ratio in effect are reported in `kitFeatures`;
 * - the kit rate limiter, per IP, with the in-memory token bucket (the embedded default; with
 *   REDIS_URL a deploy uses the Redis store, one round trip per request, not measured here), and
 *   its RateLimit-* headers.
 * No CORS allowlist is configured (CORS_ORIGINS defaults to none), so the CORS plugin is not on.
 *
 * Each server runs in its own child process: the tracing SDK patches node:http process-wide, and
 * the load generator must not share a core budget unevenly with either. The machine is shared, so
 * bare and kit are measured in alternating rounds and the totals compared; the per-round ratios
 * are reported too. Besides req/s, each server's CPU time per request is reported: when the load
 * generator or neighbours limit req/s, the CPU ratio is what the kit costs a CPU-bound server.
 * Run alone: `npx tsx bench/kit-overhead.ts` (KIT_BENCH_SECONDS per round, KIT_BENCH_ROUNDS,
 * KIT_BENCH_CONNECTIONS to tune; KIT_BENCH_WITHOUT=logging,tracing,ratelimit for a breakdown).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { TraceSamplerName } from '@platform/service-kit/tracing'

interface AutocannonResult {
  requests: { average: number; total: number }
  latency: { p50: number; p99: number }
  duration: number
  non2xx: number
  errors: number
}
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string
  connections: number
  duration: number
}) => Promise<AutocannonResult>

/**
 * bare: Fastify alone. kit: createApp with the whole kit. floor: Fastify plus only what the issue
 * prescribes for every request, at its cheapest: the same response headers as the kit route (the
 * API security set, x-request-id, the four RateLimit fields), an AsyncLocalStorage context
 * entered per request (ids reach every log line) and one pino JSON line per request, written
 * through the kit's chunked file destination. No ECS formatting, masking, metrics, tracing or
 * rate-limit arithmetic. No kit that meets the issue can cost less than floor. busy: Fastify plus
 * only a busy-wait of a known length per request.
 */
type Mode = 'bare' | 'floor' | 'kit' | 'busy'
const MODES: Mode[] = ['bare', 'floor', 'kit', 'busy']
const BUSY_MICROS = Number(process.env.KIT_BENCH_BUSY_MICROS ?? 10)

export interface Measurement {
  requestsPerSec: number
  /** Server process CPU (user + system) per request: robust to other load on a shared machine. */
  cpuMicrosPerRequest: number
  /** The kernel's part of it (socket reads and writes, log file writes). */
  systemMicrosPerRequest: number
  latencyP50Ms: number
  latencyP99Ms: number
  non2xx: number
  errors: number
}

export interface KitOverheadResult {
  rounds: number
  secondsPerRound: number
  connections: number
  bare: Measurement
  kit: Measurement
  floor: Measurement
  /** floor req/s divided by bare req/s: the best ratio any kit that meets the issue can reach here. */
  floorRatio: number
  busy: Measurement
  /** The busy-wait per request of the busy server, in microseconds. */
  busyMicros: number
  /** busy req/s divided by bare req/s: what that much pure CPU per request costs on this harness. */
  busyRatio: number
  /** kit req/s divided by bare req/s. */
  ratio: number
  /** The same ratio per round (bare and kit measured back to back), to show the spread. */
  roundRatios: number[]
  /** Share of throughput the kit costs, in percent. */
  overheadPercent: number
  /** Bare CPU per request divided by kit CPU per request: the throughput ratio of a CPU-bound server. */
  cpuRatio: number
  cpuOverheadPercent: number
  targetPercent: number
  targetMet: boolean
  kitFeatures: string[]
}

const PAYLOAD = { hello: 'world', items: [1, 2, 3] }
/** The kit route's one policy: never refuses in a run, so every response carries the same fields. */
const BENCH_RATE_LIMIT = { limit: 1_000_000_000, windowMs: 60_000 }
const ROUTE = '/v1/hello'

/** Child side: serve one variant, print `LISTENING <url> <features json>`, report CPU on request. */
async function serve(mode: Mode): Promise<void> {
  process.on('message', () => {
    process.send?.(process.cpuUsage())
  })
  if (mode === 'bare') {
    await serveBare(async () => PAYLOAD)
    return
  }
  if (mode === 'floor') {
    await serveFloor()
    return
  }
  if (mode === 'busy') {
    await serveBare(async () => {
      const until = performance.now() + BUSY_MICROS / 1000
      while (performance.now() < until) {
        // Pure CPU: no allocation, no I/O.
      }
      return PAYLOAD
    })
    return
  }
  const { startTracing } = await import('@platform/service-kit/tracing')
  const { baseConfigSchema, loadConfig } = await import('@platform/service-kit/config')
  const { createApp } = await import('@platform/service-kit/http')
  const { createLogger } = await import('@platform/service-kit/logging')
  // KIT_BENCH_WITHOUT=logging,tracing,ratelimit leaves parts out, to see what each costs.
  const without = new Set((process.env.KIT_BENCH_WITHOUT ?? '').split(',').filter(Boolean))
  const config = loadConfig(baseConfigSchema, process.env)
  const features = ['security headers, request ids, problem+json, HTTP and process metrics']
  const tracing = without.has('tracing')
    ? undefined
    : startTracing({
        service: 'kit-bench',
        // The sampling a deploy gets: its config's OTEL_TRACES_SAMPLER(_ARG), defaults included.
        sampler: config.OTEL_TRACES_SAMPLER as TraceSamplerName,
        sampleRatio: config.OTEL_TRACES_SAMPLER_ARG,
        // Batched like the production OTLP exporter; the exporter itself does nothing.
        exporter: { export: (_spans, done) => done({ code: 0 }), shutdown: async () => {} },
        batchExporter: true,
      })
  if (tracing) {
    const { sampler, ratio } = tracing.sampling
    features.push(
      `tracing SDK with server spans, sampling ${sampler} ratio ${ratio} from the config (batch span processor, no-op exporter)`,
    )
  }
  const logFile = process.env.KIT_BENCH_LOG_FILE ?? join(tmpdir(), 'kit-bench.log')
  const level = without.has('logging') ? 'warn' : 'info'
  const logger = createLogger({ service: 'kit-bench', level, destination: logFile })
  if (level === 'info') features.push('ECS logging at info to a file, a masked line per request')
  const app = await createApp({
    service: 'kit-bench',
    logger,
    ...(tracing ? { tracing } : {}),
    openapi: { title: 'bench' },
  })
  const ratelimit = without.has('ratelimit')
    ? undefined
    : await import('@platform/service-kit/ratelimit').catch(() => undefined)
  if (ratelimit) {
    await app.register(ratelimit.rateLimit, {
      store: new ratelimit.MemoryRateLimitStore(),
      policies: [{ name: 'ip', ...BENCH_RATE_LIMIT, key: ratelimit.byIp() }],
      registry: app.metrics.registry,
    })
    features.push('rate limit (in-memory token bucket, per IP) with RateLimit-* headers')
  }
  app.get(ROUTE, async () => PAYLOAD)
  console.log(`LISTENING ${await app.listen({ port: 0, host: '127.0.0.1' })} ${JSON.stringify(features)}`)
}

/** Fastify with nothing added, serving the route with `handler`. */
async function serveBare(handler: () => Promise<unknown>): Promise<void> {
  const { default: Fastify } = await import('fastify')
  const app = Fastify()
  app.get(ROUTE, handler)
  console.log(`LISTENING ${await app.listen({ port: 0, host: '127.0.0.1' })} []`)
}

async function serveFloor(): Promise<void> {
  const { AsyncLocalStorage } = await import('node:async_hooks')
  const { randomUUID } = await import('node:crypto')
  const { default: Fastify } = await import('fastify')
  const { default: pino } = await import('pino')
  const { BufferedFileDestination } = await import('@platform/service-kit/logging')
  const { API_SECURITY_HEADERS } = await import('@platform/service-kit/http')
  const context = new AsyncLocalStorage<{ requestId: string }>()
  const logger = pino(
    { mixin: () => ({ requestId: context.getStore()?.requestId }) },
    new BufferedFileDestination(process.env.KIT_BENCH_LOG_FILE ?? join(tmpdir(), 'kit-bench-floor.log')),
  )
  const app = Fastify()
  // The kit route's RateLimit fields, with the remaining count as the only per-request value.
  const limit = String(BENCH_RATE_LIMIT.limit)
  const policy = `${limit};w=${BENCH_RATE_LIMIT.windowMs / 1000}`
  let remaining = BENCH_RATE_LIMIT.limit
  app.addHook('onRequest', (_request, reply, done) => {
    const requestId = randomUUID()
    reply
      .headers(API_SECURITY_HEADERS)
      .header('x-request-id', requestId)
      .header('ratelimit-limit', limit)
      .header('ratelimit-remaining', String(--remaining))
      .header('ratelimit-reset', '1')
      .header('ratelimit-policy', policy)
    context.run({ requestId }, done)
  })
  app.addHook('onResponse', (request, reply, done) => {
    logger.info({ method: request.method, url: request.url, status: reply.statusCode }, 'request completed')
    done()
  })
  app.get(ROUTE, async () => PAYLOAD)
  console.log(`LISTENING ${await app.listen({ port: 0, host: '127.0.0.1' })} []`)
}

interface Server {
  child: ChildProcess
  url: string
  features: string[]
}

async function startChild(mode: Mode, env: NodeJS.ProcessEnv): Promise<Server> {
  const self = fileURLToPath(import.meta.url)
  const child = spawn(process.execPath, ['--import', 'tsx', self, '--serve', mode], {
    env,
    stdio: ['ignore', 'pipe', 'inherit', 'ipc'],
  })
  const lines = createInterface({ input: child.stdout! })
  for await (const line of lines) {
    const match = /^LISTENING (\S+) (.*)$/.exec(line)
    if (match) return { child, url: match[1]!, features: JSON.parse(match[2]!) }
  }
  throw new Error(`${mode} server exited before listening`)
}

function cpuUsage(server: Server): Promise<NodeJS.CpuUsage> {
  return new Promise((resolve) => {
    server.child.once('message', (usage: unknown) => resolve(usage as NodeJS.CpuUsage))
    server.child.send('cpu')
  })
}

interface Round {
  result: AutocannonResult
  cpu: NodeJS.CpuUsage
}

async function measure(server: Server, connections: number, seconds: number): Promise<Round> {
  const before = await cpuUsage(server)
  const result = await autocannon({ url: `${server.url}${ROUTE}`, connections, duration: seconds })
  const after = await cpuUsage(server)
  return { result, cpu: { user: after.user - before.user, system: after.system - before.system } }
}

function combine(rounds: Round[]): Measurement {
  const results = rounds.map((round) => round.result)
  const total = results.reduce((sum, result) => sum + result.requests.total, 0)
  const system = rounds.reduce((sum, round) => sum + round.cpu.system, 0)
  const cpu = rounds.reduce((sum, round) => sum + round.cpu.user, system)
  const seconds = results.reduce((sum, result) => sum + result.duration, 0)
  const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!
  return {
    requestsPerSec: Math.round(total / seconds),
    cpuMicrosPerRequest: Math.round(cpu / total),
    systemMicrosPerRequest: Math.round(system / total),
    latencyP50Ms: median(results.map((result) => result.latency.p50)),
    latencyP99Ms: median(results.map((result) => result.latency.p99)),
    non2xx: results.reduce((sum, result) => sum + result.non2xx, 0),
    errors: results.reduce((sum, result) => sum + result.errors, 0),
  }
}

export async function run(): Promise<KitOverheadResult> {
  const seconds = Number(process.env.KIT_BENCH_SECONDS ?? 5)
  const rounds = Number(process.env.KIT_BENCH_ROUNDS ?? 3)
  const connections = Number(process.env.KIT_BENCH_CONNECTIONS ?? 20)
  const dir = await mkdtemp(join(tmpdir(), 'kit-bench-'))
  const servers = {} as Record<Mode, Server>
  for (const mode of MODES)
    servers[mode] = await startChild(mode, { ...process.env, KIT_BENCH_LOG_FILE: join(dir, `${mode}.log`) })
  try {
    const results: Record<Mode, Round[]> = { bare: [], floor: [], kit: [], busy: [] }
    for (const mode of MODES) {
      await autocannon({ url: `${servers[mode].url}${ROUTE}`, connections, duration: 2 })
    }
    for (let round = 0; round < rounds; round++) {
      // Alternate who goes first so drifting background load hits both alike.
      const order = round % 2 === 0 ? MODES : [...MODES].reverse()
      for (const mode of order) {
        results[mode].push(await measure(servers[mode], connections, seconds))
        process.stderr.write(`kit-overhead: round ${round + 1}/${rounds} ${mode} done\n`)
      }
    }
    const roundRatios = results.kit.map((kitRound, i) => {
      const bareRound = results.bare[i]!.result
      const rate = (r: AutocannonResult) => r.requests.total / r.duration
      return Math.round((rate(kitRound.result) / rate(bareRound)) * 1000) / 1000
    })
    const bare = combine(results.bare)
    const kit = combine(results.kit)
    const floor = combine(results.floor)
    const busy = combine(results.busy)
    const ratio = kit.requestsPerSec / bare.requestsPerSec
    const overheadPercent = Math.round((1 - ratio) * 1000) / 10
    const cpuRatio = bare.cpuMicrosPerRequest / kit.cpuMicrosPerRequest
    return {
      rounds,
      secondsPerRound: seconds,
      connections,
      bare,
      kit,
      floor,
      floorRatio: Math.round((floor.requestsPerSec / bare.requestsPerSec) * 1000) / 1000,
      busy,
      busyMicros: BUSY_MICROS,
      busyRatio: Math.round((busy.requestsPerSec / bare.requestsPerSec) * 1000) / 1000,
      ratio: Math.round(ratio * 1000) / 1000,
      roundRatios,
      overheadPercent,
      cpuRatio: Math.round(cpuRatio * 1000) / 1000,
      cpuOverheadPercent: Math.round((1 - cpuRatio) * 1000) / 10,
      targetPercent: 25,
      targetMet: overheadPercent <= 25,
      kitFeatures: servers.kit.features,
    }
  } finally {
    for (const server of Object.values(servers)) server.child.kill('SIGTERM')
    await rm(dir, { recursive: true, force: true })
  }
}

const invokedDirectly = process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href
if (invokedDirectly) {
  const serveIndex = process.argv.indexOf('--serve')
  if (serveIndex > 0) await serve(process.argv[serveIndex + 1] as Mode)
  else console.log(JSON.stringify(await run(), null, 2))
}
