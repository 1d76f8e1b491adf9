/**
 * Real Prometheus (Debian) scraping the running servers with the generated rules loaded: every
 * dashboard query and every rule expression parses, every panel fed by metrics the servers export
 * today returns data, and every rule evaluates without error. Panels on exporter or not-yet-exported
 * metrics are only parsed (source/dashboards.ts says which).
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { stringify } from 'yaml'
import {
  freePort,
  type ScratchDatabase,
  type ServerProcess,
  scratchDatabase,
  startServer,
} from '../test-support/processes.js'
import { ruleGroups } from './source/alerts.js'
import { dashboards } from './source/dashboards.js'

const here = import.meta.dirname
const repoRoot = join(here, '..', '..')
let database: ScratchDatabase
let servers: ServerProcess[] = []
let prometheus: ChildProcess
let workDir: string
let api: string

async function query(
  expr: string,
): Promise<{ status: string; error?: string; data?: { result: unknown[] } }> {
  const response = await fetch(`${api}/api/v1/query?query=${encodeURIComponent(expr)}`)
  return (await response.json()) as { status: string; error?: string; data?: { result: unknown[] } }
}

beforeAll(async () => {
  database = await scratchDatabase('scrape')
  const [chatPort, dexPort, rpcPort, promPort] = [
    await freePort(),
    await freePort(),
    await freePort(),
    await freePort(),
  ]
  const env = { ...process.env, DATABASE_URL: database.url, LOG_LEVEL: 'warn' }
  servers = await Promise.all([
    startServer({
      command: process.execPath,
      args: ['--import', 'tsx', 'packages/chat-server/src/start.ts'],
      cwd: repoRoot,
      env: { ...env, PORT: String(chatPort) },
      readyUrl: `http://127.0.0.1:${chatPort}/health/ready`,
    }),
    startServer({
      command: process.execPath,
      args: ['--import', 'tsx', 'packages/dex-server/src/start.ts'],
      cwd: repoRoot,
      env: { ...env, PORT: String(dexPort), RPC_PORT: String(rpcPort), SIM_INTERVAL_MS: '300' },
      readyUrl: `http://127.0.0.1:${dexPort}/health/ready`,
      timeoutMs: 120_000,
    }),
  ])
  // Traffic for the request panels: successes, 4xx (bad quote input, unknown route) and a failed authentication.
  for (let i = 0; i < 5; i++) {
    await fetch(`http://127.0.0.1:${chatPort}/health/live`)
    await fetch(`http://127.0.0.1:${chatPort}/v1/channels`, { headers: { 'x-api-key': 'wrong' } })
    await fetch(`http://127.0.0.1:${dexPort}/v1/pools`)
    await fetch(`http://127.0.0.1:${dexPort}/v1/quote`)
    await fetch(`http://127.0.0.1:${dexPort}/v1/no-such-route`)
  }

  workDir = mkdtempSync(join(tmpdir(), 'prometheus-'))
  const rulesDir = join(here, 'prometheus/rules')
  const config = {
    global: { scrape_interval: '1s', evaluation_interval: '1s' },
    rule_files: readdirSync(rulesDir).map((f) => join(rulesDir, f)),
    scrape_configs: [
      { job_name: 'chat-api', static_configs: [{ targets: [`127.0.0.1:${chatPort}`] }] },
      { job_name: 'dex-gateway', static_configs: [{ targets: [`127.0.0.1:${dexPort}`] }] },
    ],
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
  for (let i = 0; i < 100; i++) {
    const up = await query('count(up == 1)').catch(() => undefined)
    if ((up?.data?.result as { value: [number, string] }[] | undefined)?.[0]?.value[1] === '2') break
    await new Promise((resolve) => setTimeout(resolve, 200))
  }
  await new Promise((resolve) => setTimeout(resolve, 6000))
}, 240_000)

afterAll(async () => {
  prometheus?.kill('SIGTERM')
  await Promise.all(servers.map((s) => s.stop()))
  await database?.drop()
  if (workDir) rmSync(workDir, { recursive: true, force: true })
})

it('every dashboard query parses, and every panel on exported metrics returns data', async () => {
  const empty: string[] = []
  for (const dashboard of dashboards) {
    for (const panel of dashboard.panels) {
      const answer = await query(panel.expr)
      expect(answer.status, `${dashboard.title} / ${panel.title}: ${answer.error}`).toBe('success')
      if (panel.from === 'server' && (answer.data?.result.length ?? 0) === 0) {
        empty.push(`${dashboard.title} / ${panel.title}`)
      }
    }
  }
  expect(empty).toEqual([])
})

it('every rule expression parses and evaluates in the running rule groups', async () => {
  for (const rule of ruleGroups.flatMap((g) => g.rules)) {
    const answer = await query(rule.expr)
    expect(answer.status, `${rule.alert}: ${answer.error}`).toBe('success')
  }
  const groups = (await (await fetch(`${api}/api/v1/rules`)).json()) as {
    data: { groups: { rules: { name: string; health: string; lastError?: string }[] }[] }
  }
  const loaded = groups.data.groups.flatMap((g) => g.rules)
  expect(loaded.length).toBe(ruleGroups.flatMap((g) => g.rules).length)
  for (const rule of loaded) expect(rule.health, `${rule.name}: ${rule.lastError}`).toBe('ok')
})
