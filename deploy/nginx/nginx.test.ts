/**
 * nginx as it runs in front of ChatSDK: `nginx -t` on the production config (TLS paths pointed at
 * a throwaway self-signed certificate), and real nginx (Debian) with the plain-HTTP variant in
 * front of a running chat server: a WebSocket connects through it, the security headers are on
 * every answer, and past the per-IP limit it answers 429.
 */
import { execFileSync, spawn } from 'node:child_process'
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import WebSocket from 'ws'
import {
  freePort,
  type ScratchDatabase,
  type ServerProcess,
  scratchDatabase,
  startServer,
} from '../test-support/processes.js'

const here = import.meta.dirname
const repoRoot = join(here, '..', '..')

/** A copy of deploy/nginx in a temp folder, with `edit` applied to one config file. */
function stage(config: string, edit: (text: string, dir: string) => string): { dir: string; conf: string } {
  const dir = mkdtempSync(join(tmpdir(), 'nginx-'))
  cpSync(here, dir, { recursive: true })
  const conf = join(dir, config)
  writeFileSync(conf, edit(readFileSync(conf, 'utf8'), dir))
  return { dir, conf }
}

it('nginx -t accepts the production config (TLS, HTTP/2, gzip, limits, headers)', () => {
  const { dir, conf } = stage('nginx.conf', (text, dir) =>
    text.replaceAll('/etc/letsencrypt/', `${dir}/letsencrypt/`),
  )
  try {
    const live = join(dir, 'letsencrypt/live/chat.example.com')
    execFileSync('mkdir', ['-p', live])
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=chat.example.com',
        '-keyout',
        join(live, 'privkey.pem'),
        '-out',
        join(live, 'fullchain.pem'),
      ],
      { stdio: 'pipe' },
    )
    const result = execFileSync('nginx', ['-t', '-p', `${dir}/`, '-c', conf], {
      encoding: 'utf8',
      stdio: 'pipe',
    })
    expect(result).toBe('')
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

describe('real nginx in front of the chat server', () => {
  let database: ScratchDatabase
  let chat: ServerProcess
  let nginx: ReturnType<typeof spawn>
  let staged: { dir: string; conf: string }
  let base: string

  beforeAll(async () => {
    database = await scratchDatabase('nginx')
    const chatPort = await freePort()
    chat = await startServer({
      command: process.execPath,
      args: ['--import', 'tsx', 'packages/chat-server/src/start.ts'],
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(chatPort),
        LOG_LEVEL: 'warn',
        RATE_LIMIT_ENABLED: 'false',
      },
      readyUrl: `http://127.0.0.1:${chatPort}/health/ready`,
    })
    const listen = await freePort()
    staged = stage('nginx.test.conf', (text, dir) =>
      text
        .replaceAll('__LISTEN__', String(listen))
        .replaceAll('__UPSTREAM__', `127.0.0.1:${chatPort}`)
        .replaceAll('__PREFIX__', dir),
    )
    nginx = spawn('nginx', ['-p', `${staged.dir}/`, '-c', staged.conf], { stdio: 'inherit' })
    base = `http://127.0.0.1:${listen}`
    for (let i = 0; i < 100; i++) {
      if (
        await fetch(`${base}/nginx-health`).then(
          (r) => r.ok,
          () => false,
        )
      )
        return
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    throw new Error('nginx did not start')
  }, 120_000)
  afterAll(async () => {
    nginx?.kill('SIGTERM')
    await chat?.stop()
    await database?.drop()
    if (staged) rmSync(staged.dir, { recursive: true, force: true })
  })

  it('proxies a WebSocket upgrade to the gateway', async () => {
    const socket = new WebSocket(`${base.replace('http', 'ws')}/connection/websocket`)
    const opened = await new Promise<boolean>((resolve) => {
      socket.once('open', () => resolve(true))
      socket.once('error', () => resolve(false))
    })
    expect(opened).toBe(true)
    // A Centrifugo connect command without a token: the gateway's answer comes back through nginx.
    const answer = new Promise<string>((resolve) => {
      socket.once('message', (data) => resolve(String(data)))
      socket.once('close', (code) => resolve(`closed ${code}`))
    })
    socket.send(JSON.stringify({ id: 1, connect: {} }))
    expect(await answer).toMatch(/"id":1|closed 35\d\d/)
    socket.close()
  })

  it('adds the security headers once each, on success and on errors', async () => {
    for (const path of ['/health/live', '/v1/no-such-route']) {
      const response = await fetch(`${base}${path}`)
      await response.arrayBuffer()
      expect(response.headers.get('strict-transport-security')).toBe('max-age=31536000; includeSubDomains')
      expect(response.headers.get('x-frame-options')).toBe('DENY')
      expect(response.headers.get('x-content-type-options')).toBe('nosniff')
      expect(response.headers.get('referrer-policy')).toBe('strict-origin-when-cross-origin')
      expect(response.headers.get('content-security-policy')).toContain("frame-ancestors 'none'")
    }
  })

  it('answers 429 past the per-IP API rate (100 r/s, burst 50)', async () => {
    const statuses = await Promise.all(
      Array.from({ length: 300 }, () =>
        fetch(`${base}/v1/no-such-route`).then(async (r) => {
          await r.arrayBuffer()
          return r.status
        }),
      ),
    )
    expect(statuses.filter((s) => s === 429).length).toBeGreaterThan(0)
    expect(
      statuses.filter((s) => s === 429 || s === 503).length + statuses.filter((s) => s === 404).length,
    ).toBe(300)
  })
})
