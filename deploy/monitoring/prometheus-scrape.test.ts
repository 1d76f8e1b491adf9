/**
 * Real Prometheus (Debian) scraping the running servers and the Debian node, PostgreSQL and Redis
 * exporters, with the generated rules loaded: every dashboard query and every rule expression
 * parses, every panel returns data, every metric a panel or rule reads is exported by something
 * scraped, and every rule evaluates without error. The traffic (panel-traffic.ts) goes through the
 * real code paths. Only panels on an exporter that cannot run here (cAdvisor: no Debian package,
 * no container runtime) are not fed; the test names them.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { stringify } from 'yaml'
import {
  freePort,
  productionSecret,
  type ScratchDatabase,
  type ServerProcess,
  scratchDatabase,
  startServer,
} from '../test-support/processes.js'
import { metricNames } from './metric-names.js'
import { sendPanelTraffic } from './panel-traffic.js'
import { ruleGroups } from './source/alerts.js'
import { dashboards, type Source } from './source/dashboards.js'

const here = import.meta.dirname
const repoRoot = join(here, '..', '..')
/** The exporters the compose stacks run, as Debian ships them; cAdvisor has no Debian package. */
const EXPORTERS = {
  node: '/usr/bin/prometheus-node-exporter',
  postgres: '/usr/bin/prometheus-postgres-exporter',
  redis: '/usr/bin/prometheus-redis-exporter',
} as const
const NOT_RUN_HERE: Source[] = ['cadvisor']
/**
 * The intelligence services the `dex-intel` process runs (compose runs one container per service);
 * the gateway runs none and proxies them there, as in compose.
 */
const INTEL_SERVICES = ['language', 'risk', 'pipeline']

let databases: ScratchDatabase[] = []
let processes: ServerProcess[] = []
const exporters: ChildProcess[] = []
let prometheus: ChildProcess
let workDir: string
let api: string

type Answer = { status: string; error?: string; data?: { result: { metric: Record<string, string> }[] } }

async function query(expr: string): Promise<Answer> {
  const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`)
  return (await response.json()) as Answer
}

async function exported(name: string): Promise<boolean> {
  return ((await query(`count({__name__="${name}"})`)).data?.result.length ?? 0) > 0
}

function startExporter(binary: string, args: string[], env: NodeJS.ProcessEnv = process.env): ChildProcess {
  const child = spawn(binary, args, { env, stdio: 'ignore' })
  exporters.push(child)
  return child
}

beforeAll(async () => {
  for (const binary of Object.values(EXPORTERS))
    if (!existsSync(binary)) throw new Error(`${binary} missing: run scripts/ensure-tools.sh`)
  const [chatDb, dexDb, intelDb] = await Promise.all([
    scratchDatabase('scrape_chat'),
    scratchDatabase('scrape_dex'),
    scratchDatabase('scrape_intel'),
  ])
  databases = [chatDb, dexDb, intelDb]
  const ports: number[] = []
  for (let i = 0; i < 8; i++) ports.push(await freePort())
  const [chatPort, dexPort, rpcPort, intelPort, promPort, nodePort, pgPort, redisPort] = ports as [
    number,
    number,
    number,
    number,
    number,
    number,
    number,
    number,
  ]
  const adminKey = productionSecret()
  // Each process gets the in-process queue: RabbitMQ's durable queues are shared by every test on
  // this machine, and the queue metrics are the same for both drivers (service-kit/src/queue/metrics.ts).
  const { AMQP_URL: _shared, ...inherited } = process.env
  const env = { ...inherited, LOG_LEVEL: 'warn' }
  const chat = `http://127.0.0.1:${chatPort}`
  const dex = `http://127.0.0.1:${dexPort}`
  const intel = `http://127.0.0.1:${intelPort}`
  processes = await Promise.all([
    startServer({
      command: process.execPath,
      args: ['--import', 'tsx', 'packages/chat-server/src/start.ts'],
      cwd: repoRoot,
      // Every query counts as slow, so the slow-operations panel has a series to read whatever the
      // machine's load (the counter has no series until something is slow; CI saw it empty).
      env: {
        ...env,
        DATABASE_URL: chatDb.url,
        PORT: String(chatPort),
        ADMIN_API_KEY: adminKey,
        SLOW_DB_MS: '1',
      },
      readyUrl: `${chat}/health/ready`,
      timeoutMs: 120_000,
    }),
    startServer({
      command: process.execPath,
      args: ['--import', 'tsx', 'packages/dex-server/src/start.ts'],
      cwd: repoRoot,
      env: {
        ...env,
        DATABASE_URL: dexDb.url,
        PORT: String(dexPort),
        RPC_PORT: String(rpcPort),
        SIM_INTERVAL_MS: '300',
        DEX_SERVICES: 'none',
        DEX_INTEL_UPSTREAMS: INTEL_SERVICES.map((service) => `${service}=${intel}`).join(','),
      },
      readyUrl: `${dex}/health/ready`,
      timeoutMs: 120_000,
    }),
  ])
  // An intelligence process as compose runs one: the same server with DEX_SERVICES, on the
  // gateway's chain (here the gateway's embedded node) and its own database.
  const { contracts } = (await (await fetch(`${dex}/v1/chain`)).json()) as {
    contracts: { factory: string; router: string; weth: string }
  }
  processes.push(
    await startServer({
      command: process.execPath,
      args: ['--import', 'tsx', 'packages/dex-server/src/start.ts'],
      cwd: repoRoot,
      env: {
        ...env,
        DATABASE_URL: intelDb.url,
        PORT: String(intelPort),
        DEX_SERVICES: INTEL_SERVICES.join(','),
        CHAIN_RPC_URL: `http://127.0.0.1:${rpcPort}`,
        FACTORY_ADDRESS: contracts.factory,
        ROUTER_ADDRESS: contracts.router,
        WETH_ADDRESS: contracts.weth,
      },
      readyUrl: `${intel}/health/ready`,
      timeoutMs: 120_000,
    }),
  )

  workDir = mkdtempSync(join(tmpdir(), 'prometheus-'))
  // Debian's postgres_exporter (0.11) predates the replication collector of the compose image
  // (0.16), which exports pg_replication_lag_seconds; the same query is given to it here.
  writeFileSync(
    join(workDir, 'queries.yml'),
    stringify({
      pg_replication: {
        query:
          'SELECT CASE WHEN NOT pg_is_in_recovery() THEN 0 ELSE GREATEST(0, EXTRACT(EPOCH FROM (now() - pg_last_xact_replay_timestamp()))) END AS lag_seconds',
        master: true,
        metrics: [
          { lag_seconds: { usage: 'GAUGE', description: 'Replication lag behind the primary, seconds' } },
        ],
      },
    }),
  )
  const pgUrl = new URL(chatDb.url)
  pgUrl.searchParams.set('sslmode', 'disable')
  startExporter(EXPORTERS.node, [`--web.listen-address=127.0.0.1:${nodePort}`])
  startExporter(
    EXPORTERS.postgres,
    [`--web.listen-address=127.0.0.1:${pgPort}`, `--extend.query-path=${join(workDir, 'queries.yml')}`],
    { ...process.env, DATA_SOURCE_NAME: pgUrl.toString() },
  )
  startExporter(EXPORTERS.redis, [
    `--web.listen-address=127.0.0.1:${redisPort}`,
    `--redis.addr=${process.env.REDIS_URL ?? 'redis://127.0.0.1:6379'}`,
  ])

  await sendPanelTraffic({ chat, chatAdminKey: adminKey, dex, intel, intelServices: INTEL_SERVICES })

  const rulesDir = join(here, 'prometheus/rules')
  const targets = {
    'chat-api': chatPort,
    'dex-gateway': dexPort,
    'dex-intel': intelPort,
    node: nodePort,
    postgres: pgPort,
    redis: redisPort,
  }
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: readdirSync(rulesDir).map((f) => join(rulesDir, f)),
    scrape_configs: Object.entries(targets).map(([job, port]) => ({
      job_name: job,
      static_configs: [{ targets: [`127.0.0.1:${port}`] }],
    })),
  }
  writeFileSync(join(workDir, 'prometheus.yml'), stringify(config))
  prometheus = spawn(
    'prometheus',
    [
      `--config.file=${join(workDir, 'prometheus.yml')}`,
      `--storage.tsdb.path=${join(workDir, 'data')}`,
      `--web.listen-address=127.0.0.1:${promPort}`,
      '--log.level=warn',
    ],
    { stdio: 'ignore' },
  )
  api = `http://127.0.0.1:${promPort}`
  // Ready, and enough scrapes for the 5m rates to have two samples in every series.
  const jobs = Object.keys(targets).length
  for (let i = 0; i < 150; i++) {
    const up = await query('count(up == 1)').catch(() => undefined)
    if ((up?.data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1] === String(jobs)) break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await new Promise((resolve) => setTimeout(resolve, 6000))
}, 300_000)

afterAll(async () => {
  prometheus?.kill('SIGTERM')
  for (const exporter of exporters) exporter.kill('SIGTERM')
  await Promise.all(processes.map((s) => s.stop()))
  await Promise.all(databases.map((database) => database.drop()))
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

it('every target is up: the servers, an intelligence process and the exporters', async () => {
  const up = await query('up')
  const down = (up.data?.result ?? [])
    .filter((series) => (series as unknown as { value: [number, string] }).value[1] !== '1')
    .map((series) => series.metric.job)
  expect(down).toEqual([])
  expect(up.data?.result.length).toBe(6)
})

it('every dashboard panel parses and returns data, and reads only exported metrics', async () => {
  const empty: string[] = []
  const unexported: string[] = []
  const notFedHere: string[] = []
  for (const dashboard of dashboards) {
    for (const panel of dashboard.panels) {
      const name = `${dashboard.title} / ${panel.title}`
      const answer = await query(panel.expr)
      expect(answer.status, `${name}: ${answer.error}`).toBe('success')
      if (NOT_RUN_HERE.includes(panel.from)) {
        notFedHere.push(`${name} (${panel.from})`)
        continue
      }
      if ((answer.data?.result.length ?? 0) === 0) empty.push(name)
      for (const metric of metricNames(panel.expr))
        if (!(await exported(metric))) unexported.push(`${name}: ${metric}`)
    }
  }
  expect(empty, 'panels without data').toEqual([])
  expect(unexported, 'panels reading metrics nothing exports').toEqual([])
  // Named so that a new exporter panel cannot hide here unnoticed.
  expect(notFedHere).toEqual(['ChatSDK / System resources / Container memory (cadvisor)'])
})

it('every rule expression parses, reads exported metrics and evaluates in the running rule groups', async () => {
  const unexported: string[] = []
  for (const rule of ruleGroups.flatMap((g) => g.rules)) {
    const answer = await query(rule.expr)
    expect(answer.status, `${rule.alert}: ${answer.error}`).toBe('success')
    for (const metric of metricNames(rule.expr))
      if (!(await exported(metric))) unexported.push(`${rule.alert}: ${metric}`)
  }
  expect(unexported, 'rules reading metrics nothing exports').toEqual([])
  const groups = (await (await fetch(`${api}/api/v1/rules`)).json()) as {
    data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] }
  }
  const loaded = groups.data.groups.flatMap((g) => g.rules)
  expect(loaded.length).toBe(ruleGroups.flatMap((g) => g.rules).length)
  for (const rule of loaded) expect(rule.health, `${rule.name}: ${rule.lastError}`).toBe('ok')
})

it('counts what the traffic did on the instrumented paths', async () => {
  const atLeast = async (expr: string, minimum: number) => {
    const result = (await query(expr)).data?.result as { value: [number, string] }[] | undefined
    return Number(result?.[0]?.value[1] ?? 0) >= minimum
  }
  const dex = 'job="dex-gateway"'
  expect(await atLeast(`sum(siwe_verifications_total{${dex},outcome="signed_in"})`, 2)).toBe(true)
  expect(await atLeast(`sum(siwe_verifications_total{${dex},outcome="rejected"})`, 1)).toBe(true)
  expect(await atLeast(`sum(dex_sessions_total{${dex},event="opened"})`, 2)).toBe(true)
  expect(await atLeast(`sum(dex_sessions_total{${dex},event="signed_out"})`, 1)).toBe(true)
  expect(await atLeast(`sum(session_suspicious_events_total{${dex},signal="new_device"})`, 1)).toBe(true)
  expect(await atLeast(`sum(queue_published_total{${dex}})`, 1)).toBe(true)
  // The gateway's outbox relay publishes; the pipeline consumer runs in the intelligence process.
  expect(await atLeast('sum(queue_jobs_total{job="dex-intel",outcome="acked"})', 1)).toBe(true)
  expect(await exported('intel_pipeline_lag_events')).toBe(true)
  expect((await query('count(intel_pipeline_lag_events{job="dex-gateway"})')).data?.result).toEqual([])
  expect(await atLeast('sum(realtime_disconnects_total{job="chat-api"})', 2)).toBe(true)
})
