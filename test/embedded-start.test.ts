/**
 * Acceptance: `npm start` on embedded defaults (no DATABASE_URL, REDIS_URL or AMQP_URL) brings up
 * both products on their documented ports; each answers /health/ready, /metrics and /docs, and
 * SIGTERM drains and exits 0.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { embeddedEnv } from '../scripts/embedded-env.js'

const STARTUP_LIMIT_MS = 60_000 // generous for a loaded CI machine; the 20 s figure is measured by hand
const products = [
  { name: 'Soba DEX', url: 'http://127.0.0.1:3000' },
  { name: 'ChatSDK', url: 'http://127.0.0.1:5500' },
]

let child: ChildProcess
let output = ''
let dataDir: string

async function waitForReady(url: string, deadline: number): Promise<void> {
  while (Date.now() < deadline) {
    try {
      const res = await fetch(`${url}/health/ready`)
      if (res.status === 200) return
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 250))
  }
  throw new Error(`${url} was not ready in time; output so far:\n${output}`)
}

describe('npm start on embedded defaults', () => {
  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'embedded-start-'))
    child = spawn(process.execPath, ['--import', 'tsx', 'scripts/start.ts', 'all'], {
      env: embeddedEnv(dataDir),
      stdio: 'pipe',
    })
    child.stdout?.on('data', (d) => {
      output += d
    })
    child.stderr?.on('data', (d) => {
      output += d
    })
    const deadline = Date.now() + STARTUP_LIMIT_MS
    for (const p of products) await waitForReady(p.url, deadline)
  }, STARTUP_LIMIT_MS + 5_000)

  afterAll(async () => {
    if (child.exitCode === null) child.kill('SIGKILL')
    await rm(dataDir, { recursive: true, force: true })
  })

  for (const p of products) {
    it(`${p.name} answers ready, metrics and docs`, async () => {
      expect((await fetch(`${p.url}/health/ready`)).status).toBe(200)
      const metrics = await (await fetch(`${p.url}/metrics`)).text()
      expect(metrics).toContain('http_requests_total')
      expect((await fetch(`${p.url}/docs`)).status).toBe(200)
    })
  }

  it('drains and exits 0 on SIGTERM', async () => {
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)))
    child.kill('SIGTERM')
    expect(await exited).toBe(0)
  }, 30_000)
})
