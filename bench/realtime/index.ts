/**
 * Fan-out benchmark: a 100-byte message to 1,000 and 5,000 subscribed clients, side by side:
 * raw `ws` broadcast (the limit), socket.io 4, our gateway on one node, our gateway on two nodes
 * over Redis, socket.io with @socket.io/redis-adapter on two nodes. Then memory per idle
 * subscribed connection at 10,000 connections.
 *
 * CPU: servers run pinned to core 0 (taskset), the load-generating clients and this runner to
 * core 1, so clients cannot starve the server. Redis is not pinned. Server CPU time per delivery
 * comes from the servers' own process.cpuUsage().
 *
 * Run alone: `npx tsx bench/realtime/index.ts` (REDIS_URL for the two-node rows).
 */
import { type ChildProcess, execFileSync, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { loadavg } from 'node:os'
import { fileURLToPath } from 'node:url'
import { SignJWT } from 'jose'

const SERVER_CORE = '0'
const CLIENT_CORE = '1'
const here = (f: string) => fileURLToPath(new URL(f, import.meta.url))
const now = () => performance.timeOrigin + performance.now()
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms))

function spawnPinned(core: string, script: string, args: string[], gc = false): ChildProcess {
  const node = [process.execPath, '--import', 'tsx', ...(gc ? ['--expose-gc'] : []), script, ...args]
  return spawn('taskset', ['-c', core, ...node], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] })
}

function request<T>(child: ChildProcess, msg: object, key: string, timeoutMs = 120_000): Promise<T> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`no ${key} reply`)), timeoutMs)
    const onMessage = (reply: Record<string, unknown>) => {
      if (!(key in reply)) return
      clearTimeout(timer)
      child.off('message', onMessage)
      resolve(reply as T)
    }
    child.on('message', onMessage)
    if (Object.keys(msg).length > 0) child.send(msg)
  })
}

async function startServer(kind: string, prefix: string, gc = false) {
  const child = spawnPinned(SERVER_CORE, here('./server.ts'), [kind, prefix], gc)
  const { port } = await request<{ port: number }>(child, {}, 'port')
  return { child, url: `http://127.0.0.1:${port}` }
}

function payload(): string {
  const head = JSON.stringify({ t: now(), pad: '' })
  return JSON.stringify({ t: now(), pad: 'x'.repeat(Math.max(0, 100 - head.length)) })
}

async function waitCount(clients: ChildProcess, target: number, timeoutMs = 60_000): Promise<number> {
  const start = Date.now()
  for (;;) {
    const { count } = await request<{ count: number }>(clients, { count: true }, 'count')
    if (count >= target) return count
    if (Date.now() - start > timeoutMs) return count
    await sleep(20)
  }
}

const serverCpu = async (servers: { child: ChildProcess }[]) =>
  (await Promise.all(servers.map((s) => request<{ cpu: number }>(s.child, { cpu: true }, 'cpu')))).reduce(
    (a, b) => a + b.cpu,
    0,
  )

export interface FanoutRow {
  system: string
  clients: number
  deliveriesPerSec: number
  serverCpuMicrosPerDelivery: number
  burstP50Ms: number
  burstP99Ms: number
  halfRateMsgsPerSec: number
  halfRateP50Ms: number
  halfRateP99Ms: number
}

async function fanout(
  system: string,
  kind: string,
  nodes: number,
  n: number,
  token: string,
): Promise<FanoutRow> {
  const prefix = `bench:${randomUUID()}:`
  const servers = []
  for (let i = 0; i < nodes; i++) servers.push(await startServer(kind, prefix))
  const clients = spawnPinned(CLIENT_CORE, here('./clients.ts'), [])
  try {
    await request(clients, { connect: { kind, urls: servers.map((s) => s.url), n, token } }, 'ready')
    const publisher = servers[servers.length - 1]?.child as ChildProcess
    await sleep(500)
    // Warm-up.
    for (let i = 0; i < 20; i++) publisher.send({ pub: payload() })
    await waitCount(clients, 20 * n)

    // Throughput: a burst, timed from the first send to the last delivery. A small calibration
    // burst sizes the measured one to a few seconds on whatever this machine gives us.
    const calibrate = 20
    await request(clients, { reset: true }, 'reset')
    const c0 = now()
    for (let i = 0; i < calibrate; i++) publisher.send({ pub: payload() })
    await waitCount(clients, calibrate * n)
    const estimate = (calibrate * n) / ((now() - c0) / 1000)
    const burst = Math.min(2000, Math.max(20, Math.round((estimate * 4) / n)))
    await request(clients, { reset: true }, 'reset')
    const cpu0 = await serverCpu(servers)
    const t0 = now()
    for (let i = 0; i < burst; i++) publisher.send({ pub: payload() })
    const delivered = await waitCount(clients, burst * n)
    const elapsed = (now() - t0) / 1000
    const cpu1 = await serverCpu(servers)
    const burstStats = await request<{ p50: number; p99: number }>(clients, { stats: true }, 'p50')
    const deliveriesPerSec = delivered / elapsed

    // Latency at half the measured maximum rate, for 3 s and at least 5 messages.
    const rate = (0.5 * deliveriesPerSec) / n
    const duration = Math.max(3000, (5 / rate) * 1000)
    await request(clients, { reset: true }, 'reset')
    const start = now()
    let sent = 0
    while (now() - start < duration) {
      const due = Math.floor(((now() - start) / 1000) * rate)
      for (; sent < due; sent++) publisher.send({ pub: payload() })
      await sleep(5)
    }
    await waitCount(clients, sent * n, 20_000)
    const half = await request<{ p50: number; p99: number }>(clients, { stats: true }, 'p50')
    return {
      system,
      clients: n,
      deliveriesPerSec: Math.round(deliveriesPerSec),
      serverCpuMicrosPerDelivery: Number(((cpu1 - cpu0) / delivered).toFixed(2)),
      burstP50Ms: Number(burstStats.p50.toFixed(1)),
      burstP99Ms: Number(burstStats.p99.toFixed(1)),
      halfRateMsgsPerSec: Number(rate.toFixed(2)),
      halfRateP50Ms: Number(half.p50.toFixed(1)),
      halfRateP99Ms: Number(half.p99.toFixed(1)),
    }
  } finally {
    clients.kill('SIGKILL')
    for (const s of servers) s.child.kill('SIGKILL')
    await sleep(300)
  }
}

async function idleMemory(system: string, kind: string, n: number, token: string) {
  const server = await startServer(kind, `bench:${randomUUID()}:`, true)
  const clients = spawnPinned(CLIENT_CORE, here('./clients.ts'), [])
  try {
    await sleep(300)
    const before = await request<{ mem: number; heap: number }>(server.child, { mem: true }, 'mem')
    await request(clients, { connect: { kind, urls: [server.url], n, token } }, 'ready', 300_000)
    await sleep(2000)
    const after = await request<{ mem: number; heap: number }>(server.child, { mem: true }, 'mem')
    return {
      system,
      connections: n,
      rssBytesPerConnection: Math.round((after.mem - before.mem) / n),
      heapBytesPerConnection: Math.round((after.heap - before.heap) / n),
    }
  } finally {
    clients.kill('SIGKILL')
    server.child.kill('SIGKILL')
    await sleep(300)
  }
}

export async function run(options: { sizes?: number[]; idleConnections?: number } = {}) {
  const sizes = options.sizes ?? [1000, 5000]
  const idleConnections = options.idleConnections ?? 10_000
  // The runner shares the clients' core: the server core stays for servers.
  try {
    execFileSync('taskset', ['-cp', CLIENT_CORE, String(process.pid)], { stdio: 'ignore' })
  } catch {}
  const token = await new SignJWT({ app: 'bench-app' })
    .setProtectedHeader({ alg: 'HS256' })
    .setSubject('bench-user')
    .sign(new TextEncoder().encode('bench-secret-0123456789abcdef0123'))
  const withRedis = Boolean(process.env.REDIS_URL ?? 'redis://127.0.0.1:6379')
  const systems: [string, string, number][] = [
    ['raw ws broadcast', 'ws', 1],
    ['socket.io 4', 'socketio', 1],
    ['chatsdk gateway, 1 node', 'gateway', 1],
  ]
  if (withRedis) {
    systems.push(['chatsdk gateway, 2 nodes + Redis', 'gateway-redis', 2])
    systems.push(['socket.io + redis-adapter, 2 nodes', 'socketio-redis', 2])
  }
  const fanoutRows: FanoutRow[] = []
  for (const n of sizes) {
    for (const [system, kind, nodes] of systems) {
      const row = await fanout(system, kind, nodes, n, token)
      console.log(JSON.stringify(row))
      fanoutRows.push(row)
    }
  }
  const memory = []
  for (const [system, kind] of systems.slice(0, 3)) {
    const row = await idleMemory(system, kind, idleConnections, token)
    console.log(JSON.stringify(row))
    memory.push(row)
  }
  const ratio = (n: number) => {
    const raw = fanoutRows.find((r) => r.clients === n && r.system === 'raw ws broadcast')
    const ours = fanoutRows.find((r) => r.clients === n && r.system === 'chatsdk gateway, 1 node')
    return raw && ours ? Number((ours.deliveriesPerSec / raw.deliveriesPerSec).toFixed(2)) : null
  }
  return {
    loadAverageAtEnd: loadavg().map((x) => Number(x.toFixed(1))),
    pinning: `servers on core ${SERVER_CORE}, clients and runner on core ${CLIENT_CORE} (taskset); Redis unpinned`,
    fanout: fanoutRows,
    gatewayVsRawWs: { clients1000: ratio(1000), clients5000: ratio(5000) },
    idleMemory: memory,
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(JSON.stringify(await run(), null, 2))
}
