import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { p95 } from './score.js'

export interface RouteLoad {
  route: string
  ratePerSecond: number
  seconds: number
  sent: number
  ok: number
  errors: number
  achievedPerSecond: number
  p50Ms: number | null
  p95Ms: number | null
}

/**
 * Open-loop load: requests are started on a fixed schedule (`rate` per second) whether or not
 * earlier ones returned, so a slow server shows up as latency instead of a lower request rate.
 * Each request is drawn from `requests` in turn.
 */
export async function loadRoute(
  baseUrl: string,
  route: string,
  requests: Array<{ path: string; method?: 'GET' | 'POST'; body?: unknown }>,
  rate: number,
  seconds: number,
): Promise<RouteLoad> {
  const latencies: number[] = []
  let ok = 0
  let errors = 0
  const total = rate * seconds
  const started = performance.now()
  const inflight: Promise<void>[] = []
  for (let i = 0; i < total; i++) {
    const due = started + (i * 1000) / rate
    const wait = due - performance.now()
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait))
    const request = requests[i % requests.length] as (typeof requests)[number]
    const sentAt = performance.now()
    inflight.push(
      fetch(`${baseUrl}${request.path}`, {
        method: request.method ?? 'GET',
        ...(request.body
          ? { body: JSON.stringify(request.body), headers: { 'content-type': 'application/json' } }
          : {}),
      })
        .then(async (response) => {
          await response.arrayBuffer()
          latencies.push(performance.now() - sentAt)
          if (response.status === 200) ok++
          else errors++
        })
        .catch(() => {
          errors++
        }),
    )
  }
  await Promise.all(inflight)
  const elapsed = (performance.now() - started) / 1000
  const sorted = [...latencies].sort((a, b) => a - b)
  const round = (v: number | null) => (v === null ? null : Math.round(v * 10) / 10)
  return {
    route,
    ratePerSecond: rate,
    seconds,
    sent: total,
    ok,
    errors,
    achievedPerSecond: Math.round(total / elapsed),
    p50Ms: round(sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : null),
    p95Ms: round(p95(latencies)),
  }
}

type Request = { path: string; method?: 'GET' | 'POST'; body?: unknown }

/** loadRoute in a child process (node with the tsx loader), so it does not steal the server's CPU time slices. */
export function loadRouteInChild(
  baseUrl: string,
  route: string,
  requests: Request[],
  rate: number,
  seconds: number,
): Promise<RouteLoad> {
  const script = fileURLToPath(new URL('./load-cli.ts', import.meta.url))
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, INTEL_LOAD: JSON.stringify({ baseUrl, route, requests, rate, seconds }) },
      stdio: ['ignore', 'pipe', 'inherit'],
    })
    let out = ''
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.on('error', reject)
    child.on('exit', (code) =>
      code === 0
        ? resolve(JSON.parse(out.trim().split('\n').at(-1) as string))
        : reject(new Error(`load process exited ${code}`)),
    )
  })
}
