/**
 * Fan-out benchmark: a 100-byte message to 1,000 and 5,000 subscribed clients, side by side in one
 * run: raw `ws` broadcast (the limit), socket.io 4, our gateway on one node, our gateway on two
 * nodes over Redis, socket.io with @socket.io/redis-adapter on two nodes. Then memory per idle
 * subscribed connection at 10,000 connections.
 *
 * Method (the same for every system):
 * - CPU: servers run pinned to cpu 0 (taskset), the load-generating clients and this runner to
 *   cpu 1, so the clients cannot starve the servers. Redis is a shared system service, unpinned.
 * - Clients (clients.ts, wire.ts): one process, raw TCP sockets with a minimal WebSocket framing
 *   reader that scans each frame for the publish timestamp; no per-message string or JSON.
 * - Load is generated inside the publishing server process (server.ts), one message per
 *   macrotask, so no system can coalesce several messages into one socket write.
 * - All systems of one client count are connected at once and measured round-robin, so the
 *   background load of this shared machine falls on all of them alike.
 * - Max rate: 5 bursts per system sized to ~3 s each; deliveries/s = deliveries / (last delivery
 *   − first publish); the median burst is reported, with server and client CPU-µs per delivery.
 * - Latency: 3 rounds of messages evenly paced at half that max rate for ≥ 4 s; every delivery's
 *   publish → client-read latency; p50/p99 (median of the rounds).
 *
 * Run alone: `npx tsx bench/realtime/index.ts` (REDIS_URL for the two-node rows, default local).
 * Writes bench/realtime/results.json; `run()` returns the same object for bench/run-all.ts.
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { writeFile } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { SignJWT } from 'jose'

const SERVER_CORE = '0'
const CLIENT_CORE = '1'
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))
const nowMs = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))
const round = (x: number, digits = 1) => Number(x.toFixed(digits))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number

function spawnPinned(core: string, script: string, args: string[], gc = false): ChildProcess {
  // BENCH_NODE_FLAGS (e.g. --cpu-prof) goes to the servers only, for profiling a run.
  const extra = core === SERVER_CORE ? (process.env.BENCH_NODE_FLAGS?.split(' ').filter(Boolean) ?? []) : []
  const node = [
    process.execPath,
    '--import',
    'tsx',
    ...extra,
    ...(gc ? ['--expose-gc'] : []),
    script,
    ...args,
  ]
  return spawn('taskset', ['-c', core, ...node], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

function request<T>(child: ChildProcess, msg: object, key: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${key} reply`)), timeoutMs)
    const onMessage = (reply: Record<string, unknown>) => {
      if (!(key in reply)) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(reply[key] as T)
    }
    child.on('message', onMessage)
    if (Object.keys(msg).length > 0) child.send(msg)
  })
}

async function startServer(kind: string, prefix: string, gc = false) {
  const child = spawnPinned(SERVER_CORE, here('./server.ts'), [kind, prefix], gc)
  const port = await request<number>(child, {}, 'port')
  return { child, url: `http://127.0.0.1:${port}` }
}

interface ClientCount {
  count: number
  lastAt: number
  cpu: number
}

const clientCount = (clients: ChildProcess) =>
  new Promise<ClientCount>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('no count reply')), 60_000)
    const onMessage = (reply: Partial<ClientCount>) => {
      if (reply.count === undefined) return
      clearTimeout(timer)
      clients.off('message', onMessage)
      resolve(reply as ClientCount)
    }
    clients.on('message', onMessage)
    clients.send({ count: true })
  })

/** Polls the clients until `target` deliveries arrived or nothing arrived for `quietMs`. */
async function waitDeliveries(clients: ChildProcess, target: number, quietMs = 15_000): Promise<ClientCount> {
  let last = await clientCount(clients)
  let lastChange = Date.now()
  while (last.count < target && Date.now() - lastChange < quietMs) {
    await sleep(20)
    const c = await clientCount(clients)
    if (c.count !== last.count) lastChange = Date.now()
    last = c
  }
  return last
}

const serverCpu = async (servers: { child: ChildProcess }[]) =>
  (await Promise.all(servers.map((s) => request<number>(s.child, { cpu: true }, 'cpu')))).reduce(
    (a, b) => a + b,
    0,
  )

export interface FanoutRow {
  system: string
  clients: number
  /** Median of the interleaved bursts. */
  deliveriesPerSec: number
  burstsDeliveriesPerSec: number[]
  serverCpuMicrosPerDelivery: number
  /**
   * 1e6 / serverCpuMicrosPerDelivery: what one core given wholly to the server(s) would sustain
   * if the server were the bottleneck. Derived, but it does not move with the machine's load.
   */
  deliveriesPerServerCpuSecond: number
  clientCpuMicrosPerDelivery: number
  /** Share of cpu 1 the clients used during the median burst (near 1: client-bound). */
  clientCoreBusy: number
  halfRateMsgsPerSec: number
  halfRateServerCpuMicrosPerDelivery: number
  /** Median over the latency rounds (per round in the arrays). */
  halfRateP50Ms: number
  halfRateP99Ms: number
  halfRateP50sMs: number[]
  halfRateP99sMs: number[]
  /** Deliveries missing at the end of a measurement (0 when every client got every message). */
  lost: number
}

interface Burst {
  rate: number
  serverCpu: number
  clientCpu: number
  clientBusy: number
  lost: number
}

interface Setup {
  system: string
  servers: { child: ChildProcess; url: string }[]
  publisher: ChildProcess
  clients: ChildProcess
  messages: number
  bursts: Burst[]
  latency: { p50: number; p99: number; cpu: number; lost: number }[]
}

async function measureBurst(s: Setup, messages: number, n: number): Promise<Burst> {
  await request(s.clients, { reset: { latency: false, since: nowMs() } }, 'reset')
  const cpu0 = await serverCpu(s.servers)
  const c0 = await clientCount(s.clients)
  const { t0 } = await request<{ t0: number; t1: number }>(s.publisher, { burst: messages }, 'burstSent')
  const c1 = await waitDeliveries(s.clients, messages * n)
  const cpu1 = await serverCpu(s.servers)
  const elapsedMs = c1.lastAt - t0
  return {
    rate: c1.count / (elapsedMs / 1000),
    serverCpu: (cpu1 - cpu0) / c1.count,
    clientCpu: (c1.cpu - c0.cpu) / c1.count,
    clientBusy: (c1.cpu - c0.cpu) / 1000 / elapsedMs,
    lost: messages * n - c1.count,
  }
}

/** Messages evenly paced at `rate`/s for at least 4 s and 20 messages; every delivery's latency. */
async function measureLatency(s: Setup, rate: number, n: number) {
  const count = Math.max(20, Math.round(rate * 4))
  await request(s.clients, { reset: { latency: true, since: nowMs() } }, 'reset')
  const cpu0 = await serverCpu(s.servers)
  await request(s.publisher, { paced: { rate, count } }, 'pacedSent', 300_000)
  const done = await waitDeliveries(s.clients, count * n)
  const cpu1 = await serverCpu(s.servers)
  const stats = await request<{ p50: number; p99: number }>(s.clients, { stats: true }, 'stats')
  return { p50: stats.p50, p99: stats.p99, cpu: (cpu1 - cpu0) / done.count, lost: count * n - done.count }
}

async function setup(system: string, kind: string, nodes: number, n: number, token: string): Promise<Setup> {
  const prefix = `bench:${randomUUID()}:`
  const servers = []
  for (let i = 0; i < nodes; i++) servers.push(await startServer(kind, prefix))
  const clients = spawnPinned(CLIENT_CORE, here('./clients.ts'), [])
  await request(clients, { connect: { kind, urls: servers.map((s) => s.url), n, token } }, 'ready', 300_000)
  const publisher = servers[servers.length - 1]?.child as ChildProcess
  return { system, servers, publisher, clients, messages: 50, bursts: [], latency: [] }
}

async function teardown(s: Setup): Promise<void> {
  s.clients.kill('SIGKILL')
  // Closing IPC lets a server exit by itself (and write a --cpu-prof profile); then the hard way.
  for (const server of s.servers) if (server.child.connected) server.child.disconnect()
  await sleep(1000)
  for (const server of s.servers) if (server.child.exitCode === null) server.child.kill('SIGKILL')
}

/**
 * Every system of one size is connected at once (an idle server costs nothing), then the
 * bursts and latency rounds go round-robin over the systems, so a change in the background load
 * of this shared machine hits all of them alike instead of one system's whole row.
 */
async function fanoutSize(
  systems: [string, string, number][],
  n: number,
  token: string,
  rounds: { bursts: number; latency: number },
): Promise<FanoutRow[]> {
  const setups: Setup[] = []
  try {
    for (const [system, kind, nodes] of systems) setups.push(await setup(system, kind, nodes, n, token))
    await sleep(500)
    for (const s of setups) {
      // Warm-up (JIT, socket buffers), then a calibration burst sizes the measured ones to ~3 s.
      await measureBurst(s, 50, n)
      const calibration = await measureBurst(s, 50, n)
      s.messages = Math.min(5000, Math.max(50, Math.round((calibration.rate * 3) / n)))
    }
    for (let r = 0; r < rounds.bursts; r++) {
      for (const s of setups) s.bursts.push(await measureBurst(s, s.messages, n))
      progress(`${n} clients: burst round ${r + 1}/${rounds.bursts}`)
    }
    const mids = setups.map(
      (s) => [...s.bursts].sort((a, b) => a.rate - b.rate)[s.bursts.length >> 1] as Burst,
    )
    for (let r = 0; r < rounds.latency; r++) {
      for (const [i, s] of setups.entries())
        s.latency.push(await measureLatency(s, (0.5 * (mids[i] as Burst).rate) / n, n))
      progress(`${n} clients: half-rate latency round ${r + 1}/${rounds.latency}`)
    }
    return setups.map((s, i) => {
      const mid = mids[i] as Burst
      return {
        system: s.system,
        clients: n,
        deliveriesPerSec: Math.round(mid.rate),
        burstsDeliveriesPerSec: s.bursts.map((b) => Math.round(b.rate)),
        serverCpuMicrosPerDelivery: round(median(s.bursts.map((b) => b.serverCpu)), 2),
        deliveriesPerServerCpuSecond: Math.round(1e6 / median(s.bursts.map((b) => b.serverCpu))),
        clientCpuMicrosPerDelivery: round(median(s.bursts.map((b) => b.clientCpu)), 2),
        clientCoreBusy: round(mid.clientBusy, 2),
        halfRateMsgsPerSec: round((0.5 * mid.rate) / n, 2),
        halfRateServerCpuMicrosPerDelivery: round(median(s.latency.map((l) => l.cpu)), 2),
        halfRateP50Ms: round(median(s.latency.map((l) => l.p50))),
        halfRateP99Ms: round(median(s.latency.map((l) => l.p99))),
        halfRateP50sMs: s.latency.map((l) => round(l.p50)),
        halfRateP99sMs: s.latency.map((l) => round(l.p99)),
        lost: s.bursts.reduce((a, b) => a + b.lost, 0) + s.latency.reduce((a, l) => a + l.lost, 0),
      }
    })
  } finally {
    for (const s of setups) await teardown(s)
  }
}

const progress = (text: string) => console.error(`[realtime] ${text} (load ${loadavg()[0]?.toFixed(1)})`)

async function idleMemory(system: string, kind: string, n: number, token: string) {
  const server = await startServer(kind, `bench:${randomUUID()}:`, true)
  const clients = spawnPinned(CLIENT_CORE, here('./clients.ts'), [])
  try {
    await sleep(300)
    const before = await request<number>(server.child, { mem: true }, 'mem')
    const heapBefore = await request<number>(server.child, { mem: true }, 'heap')
    await request(clients, { connect: { kind, urls: [server.url], n, token } }, 'ready', 300_000)
    await sleep(2000)
    const after = await request<number>(server.child, { mem: true }, 'mem')
    const heapAfter = await request<number>(server.child, { mem: true }, 'heap')
    return {
      system,
      connections: n,
      rssBytesPerConnection: Math.round((after - before) / n),
      heapBytesPerConnection: Math.round((heapAfter - heapBefore) / n),
    }
  } finally {
    clients.kill('SIGKILL')
    server.child.kill('SIGKILL')
    await sleep(300)
  }
}

const SYSTEMS: [string, string, number][] = [
  ['raw ws broadcast', 'ws', 1],
  ['socket.io 4', 'socketio', 1],
  ['chatsdk gateway, 1 node', 'gateway', 1],
  ['chatsdk gateway, 2 nodes + Redis', 'gateway-redis', 2],
  ['socket.io + redis-adapter, 2 nodes', 'socketio-redis', 2],
]

export interface RunOptions {
  sizes?: number[]
  idleConnections?: number
  /** Kinds to run (ws, socketio, gateway, gateway-redis, socketio-redis); default all. */
  systems?: string[]
  burstRounds?: number
  latencyRounds?: number
}

export async function run(options: RunOptions = {}) {
  const sizes = options.sizes ?? [1000, 5000]
  const idleConnections = options.idleConnections ?? 10_000
  const systems = SYSTEMS.filter(([, kind]) => !options.systems || options.systems.includes(kind))
  // The runner shares the clients' core: the server core stays for servers.
  try {
    execFileSync('taskset', ['-cp', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' })
  } catch {}
  const token = await new SignJWT({ app: 'bench-app' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-user')
    .sign(new TextEncoder().encode('bench-secret-0123456789abcdef0123'))
  const startedAt = new Date().toISOString()
  const pinning = `servers on cpu ${SERVER_CORE}, load-generating clients and runner on cpu ${CLIENT_CORE} (taskset); Redis unpinned`
  progress(pinning)
  const rounds = { bursts: options.burstRounds ?? 5, latency: options.latencyRounds ?? 3 }
  const fanoutRows: FanoutRow[] = []
  // The 1-minute load average of this shared machine around each size's measurements.
  const loadAverage: Record<string, [number, number]> = {}
  for (const n of sizes) {
    const before = round(loadavg()[0] as number)
    const rows = await fanoutSize(systems, n, token, rounds)
    loadAverage[String(n)] = [before, round(loadavg()[0] as number)]
    for (const row of rows) {
      console.error(JSON.stringify(row))
      fanoutRows.push(row)
    }
  }
  const memory = []
  if (idleConnections > 0) {
    for (const [system, kind, nodes] of systems) {
      if (nodes !== 1) continue
      const row = await idleMemory(system, kind, idleConnections, token)
      console.error(JSON.stringify(row))
      memory.push(row)
    }
  }
  // Ratios against raw ws measured in this same run: of the medians, and the median of the
  // per-round ratios (each round's bursts ran back to back, so they saw about the same load).
  const vsRawWs = fanoutRows.map((r) => {
    const raw = fanoutRows.find((x) => x.clients === r.clients && x.system === 'raw ws broadcast')
    const paired = raw
      ? r.burstsDeliveriesPerSec.map((v, i) => v / (raw.burstsDeliveriesPerSec[i] ?? Number.NaN))
      : []
    return {
      system: r.system,
      clients: r.clients,
      deliveriesPerSec: raw ? round(r.deliveriesPerSec / raw.deliveriesPerSec, 2) : null,
      deliveriesPerSecPairedRounds: raw ? round(median(paired), 2) : null,
      serverCpuPerDelivery: raw
        ? round(r.serverCpuMicrosPerDelivery / raw.serverCpuMicrosPerDelivery, 2)
        : null,
    }
  })
  const result = {
    startedAt,
    loadAverageAtEnd: loadavg().map((x) => round(x)),
    pinning,
    loadAverageBySize: loadAverage,
    method:
      'load generated in the publishing server, one message per macrotask (no cross-message coalescing); all systems connected at once and measured round-robin; max rate = median of the bursts (~3 s each); latency at half that rate, evenly paced, >= 4 s per round',
    rounds,
    fanout: fanoutRows,
    vsRawWs,
    idleMemory: memory,
  }
  return result
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const sizes = process.env.BENCH_SIZES?.split(',').map(Number)
  const systems = process.env.BENCH_SYSTEMS?.split(',')
  const idle = process.env.BENCH_IDLE ? Number(process.env.BENCH_IDLE) : undefined
  const burstRounds = process.env.BENCH_ROUNDS ? Number(process.env.BENCH_ROUNDS) : undefined
  const latencyRounds = process.env.BENCH_LATENCY_ROUNDS
    ? Number(process.env.BENCH_LATENCY_ROUNDS)
    : undefined
  const result = await run({ sizes, systems, idleConnections: idle, burstRounds, latencyRounds })
  const text = `${JSON.stringify(result, null, 2)}\n`
  console.log(text)
  if (!sizes && !systems && idle === undefined && burstRounds === undefined && latencyRounds === undefined)
    await writeFile(new URL('./results.json', import.meta.url), text)
}
