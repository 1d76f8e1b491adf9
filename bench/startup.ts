/**
 * Embedded start: how long `npm start` (scripts/start.ts all, no DATABASE_URL/REDIS_URL/AMQP_URL,
 * a fresh data directory) takes until both products answer /health/ready, and until the DEX's
 * simulator has traded (a pool with non-zero 24 h volume on /v1/pools). Targets: both ready
 * within 20 s (issue 2), trading within 30 s (issue 5).
 *
 * These are deadlines, not comparisons, so the figure is absolute; the load average is reported
 * next to it because on a shared 2-core machine it moves the result more than anything else.
 * The peer is Node itself: the time a process of the same runtime (tsx loader included) takes to
 * start and exit, so the ratio shows what the products add over an empty program.
 * Uses the documented ports (3000, 5500, 8545): stop `npm start` first.
 *
 *   npx tsx bench/startup.ts
 */
import { spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { loadavg, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { embeddedEnv } from '../scripts/embedded-env.js'

const ROOT = fileURLToPath(new URL('..', import.meta.url))
const CHAT = 'http://127.0.0.1:5500'
const DEX = 'http://127.0.0.1:3000'
const LIMIT_MS = 120_000

export interface StartupResult {
  /** Until both /health/ready answer 200. */
  bothReadyMs: number
  /** Until /v1/pools shows a pool with 24 h volume: the simulator trades and the indexer sees it. */
  dexTradingMs: number
  /** An empty program started the same way (node + tsx) and exited. */
  emptyProgramMs: number
  readyOverEmpty: number
  targets: { bothReadyMs: number; dexTradingMs: number }
  targetsMet: boolean
  loadAverage1m: number
}

async function answers(url: string, accept: (body: unknown) => boolean = () => true): Promise<boolean> {
  try {
    const response = await fetch(url)
    return response.status === 200 && accept(await response.json())
  } catch {
    return false
  }
}

async function until(started: number, check: () => Promise<boolean>): Promise<number> {
  while (Date.now() - started < LIMIT_MS) {
    if (await check()) return Date.now() - started
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
  throw new Error(`not reached within ${LIMIT_MS} ms`)
}

function hasVolume(body: unknown): boolean {
  const pools = (body as { pools?: { volume24h?: string }[] }).pools ?? []
  return pools.some((pool) => BigInt(pool.volume24h ?? '0') > 0n)
}

async function emptyProgramMs(): Promise<number> {
  const started = Date.now()
  await new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '-e', ''], { cwd: ROOT, stdio: 'ignore' })
    child.once('exit', () => resolve())
    child.once('error', reject)
  })
  return Date.now() - started
}

export async function run(): Promise<StartupResult> {
  if ((await answers(`${CHAT}/health/live`)) || (await answers(`${DEX}/health/live`))) {
    throw new Error('ports 3000/5500 are in use: stop `npm start` before this benchmark')
  }
  const dataDir = await mkdtemp(join(tmpdir(), 'bench-startup-'))
  const loadAverage1m = loadavg()[0] ?? 0
  const started = Date.now()
  const child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', 'all'], {
    cwd: ROOT,
    env: embeddedEnv(dataDir),
    stdio: 'ignore',
  })
  try {
    const bothReadyMs = await until(
      started,
      async () => (await answers(`${CHAT}/health/ready`)) && (await answers(`${DEX}/health/ready`)),
    )
    const dexTradingMs = await until(started, () => answers(`${DEX}/v1/pools`, hasVolume))
    const empty = await emptyProgramMs()
    const targets = { bothReadyMs: 20_000, dexTradingMs: 30_000 }
    return {
      bothReadyMs,
      dexTradingMs,
      emptyProgramMs: empty,
      readyOverEmpty: Number((bothReadyMs / empty).toFixed(1)),
      targets,
      targetsMet: bothReadyMs <= targets.bothReadyMs && dexTradingMs <= targets.dexTradingMs,
      loadAverage1m: Number(loadAverage1m.toFixed(2)),
    }
  } finally {
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
    await rm(dataDir, { recursive: true, force: true })
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  console.log(JSON.stringify(await run(), null, 2))
}
