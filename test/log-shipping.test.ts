/**
 * Both products ship their logs to Elasticsearch when ELASTICSEARCH_URL is set: each server runs as
 * a process against a local `_bulk` receiver, and its ECS lines arrive, in its daily
 * `{service}-logs-*` index, with the API key (issue 14: before, 0 requests arrived).
 */
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  freePort,
  type ScratchDatabase,
  scratchDatabase,
  startServer,
} from '../deploy/test-support/processes.js'

const repoRoot = join(import.meta.dirname, '..')
let receiver: Server
let receiverUrl: string
const received: { index: string; doc: Record<string, any>; auth: string | undefined }[] = []
let database: ScratchDatabase

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      const lines = body
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
      for (let i = 0; i + 1 < lines.length; i += 2) {
        received.push({
          index: lines[i].create._index,
          doc: lines[i + 1],
          auth: request.headers.authorization,
        })
      }
      const items = lines.filter((_, i) => i % 2 === 0).map(() => ({ create: { status: 201 } }))
      response
        .writeHead(200, { 'content-type': 'application/json' })
        .end(JSON.stringify({ errors: false, items }))
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`
  database = await scratchDatabase('shipping')
}, 60_000)
afterAll(async () => {
  await new Promise((resolve) => receiver.close(resolve))
  await database?.drop()
})

describe.each([
  { service: 'chat-server', entry: 'packages/chat-server/src/start.ts' },
  { service: 'dex-server', entry: 'packages/dex-server/src/start.ts' },
])('$service', ({ service, entry }) => {
  it('ships its log lines to Elasticsearch _bulk with the API key', async () => {
    const [port, rpcPort] = [await freePort(), await freePort()]
    const server = await startServer({
      command: process.execPath,
      args: ['--import', 'tsx', entry],
      cwd: repoRoot,
      env: {
        ...process.env,
        DATABASE_URL: database.url,
        PORT: String(port),
        RPC_PORT: String(rpcPort),
        SIM_ENABLED: 'false',
        LOG_LEVEL: 'info',
        ELASTICSEARCH_URL: receiverUrl,
        ELASTICSEARCH_API_KEY: 'test-api-key',
      },
      readyUrl: `http://127.0.0.1:${port}/health/ready`,
      timeoutMs: 120_000,
    })
    // The shipper sends every 5 s or at shutdown: stopping the server flushes it.
    expect(await server.stop('SIGTERM')).toBe(0)
    const mine = received.filter((r) => r.doc['service.name'] === service)
    expect(mine.length).toBeGreaterThan(0)
    expect(mine[0]?.index).toMatch(new RegExp(`^${service}-logs-\\d{4}\\.\\d{2}\\.\\d{2}$`))
    expect(mine[0]?.auth).toBe('ApiKey test-api-key')
    expect(mine.some((r) => typeof r.doc.message === 'string' && r.doc['@timestamp'])).toBe(true)
  }, 150_000)
})
