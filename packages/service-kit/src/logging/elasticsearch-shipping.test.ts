import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { Registry } from 'prom-client'
import { afterEach, beforeEach, describe, expect, it } from 'vitest'
import { createLogger, dailyIndexName, ElasticsearchShipper, MASK, shutdownLogger } from './index.js'

/** A local stand-in for Elasticsearch's `_bulk` endpoint; `answer` decides each reply. */
interface BulkRequest {
  headers: IncomingHttpHeaders
  actions: { create: { _index: string } }[]
  docs: Record<string, any>[]
}
let server: Server
let url: string
let requests: BulkRequest[]
let answer: (request: BulkRequest, n: number) => { status: number; body?: unknown }

beforeEach(async () => {
  requests = []
  answer = (request) => ({
    status: 200,
    body: { errors: false, items: request.docs.map(() => ({ create: { status: 201 } })) },
  })
  server = createServer((request, response) => {
    let text = ''
    request.on('data', (chunk) => {
      text += chunk
    })
    request.on('end', () => {
      const lines = text
        .split('\n')
        .filter(Boolean)
        .map((line) => JSON.parse(line))
      const bulk: BulkRequest = {
        headers: request.headers,
        actions: lines.filter((_, i) => i % 2 === 0),
        docs: lines.filter((_, i) => i % 2 === 1),
      }
      requests.push(bulk)
      const reply = request.url === '/_bulk' ? answer(bulk, requests.length) : { status: 404 }
      response
        .writeHead(reply.status, { 'content-type': 'application/json' })
        .end(JSON.stringify(reply.body ?? {}))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
})
afterEach(async () => {
  await new Promise((resolve) => server.close(resolve))
})

const line = (n: number, day = '2026-03-04') =>
  `{"@timestamp":"${day}T10:00:00.000Z","message":"line ${n}"}\n`

describe('Elasticsearch shipping', () => {
  it('ships full batches of 100 at once and the rest on the interval, to the daily index', async () => {
    const shipper = new ElasticsearchShipper({ url, service: 'Chat', flushIntervalMs: 20, apiKey: 'es-key' })
    for (let i = 0; i < 250; i++) shipper.write(line(i, i < 200 ? '2026-03-04' : '2026-03-05'))
    await shipper.flush()
    await shipper.close()
    expect(requests.map((request) => request.docs.length)).toEqual([100, 100, 50])
    expect(requests[0]!.headers['content-type']).toBe('application/x-ndjson')
    expect(requests[0]!.headers.authorization).toBe('ApiKey es-key')
    expect(requests[0]!.actions[0]).toEqual({ create: { _index: 'chat-logs-2026.03.04' } })
    expect(requests[2]!.actions[0]).toEqual({ create: { _index: 'chat-logs-2026.03.05' } })
    expect(requests.flatMap((request) => request.docs.map((doc) => doc.message))).toEqual(
      Array.from({ length: 250 }, (_, i) => `line ${i}`),
    )
    expect(shipper.shipped).toBe(250)
  })

  it('ships a partial batch when the interval passes', async () => {
    const shipper = new ElasticsearchShipper({ url, service: 'dex', flushIntervalMs: 20 })
    shipper.write(line(1))
    await new Promise<void>((resolve) => {
      const poll = setInterval(() => {
        if (requests.length > 0) {
          clearInterval(poll)
          resolve()
        }
      }, 5)
    })
    expect(requests[0]!.docs).toHaveLength(1)
    await shipper.close()
  })

  it('retries with backoff after 503s and transport errors, delivering each line once', async () => {
    answer = (request, n) =>
      n <= 2
        ? { status: 503 }
        : {
            status: 200,
            body: { errors: false, items: request.docs.map(() => ({ create: { status: 201 } })) },
          }
    const shipper = new ElasticsearchShipper({ url, service: 'dex', backoffMs: 1, flushIntervalMs: 60_000 })
    for (let i = 0; i < 3; i++) shipper.write(line(i))
    await shipper.close()
    expect(requests).toHaveLength(3)
    expect(shipper.shipped).toBe(3)
    expect(shipper.dropped).toBe(0)

    const unreachable = new ElasticsearchShipper({
      url: 'http://127.0.0.1:1',
      service: 'dex',
      backoffMs: 1,
      maxAttempts: 3,
    })
    unreachable.write(line(9))
    await unreachable.close()
    expect(unreachable.dropped).toBe(1)
  })

  it('retries only the items Elasticsearch refused with 429, and drops rejected ones', async () => {
    answer = (request, n) => ({
      status: 200,
      body: {
        errors: n === 1,
        items: request.docs.map((doc) => ({
          create: {
            status:
              n === 1 && doc.message === 'line 1' ? 429 : n === 1 && doc.message === 'line 2' ? 400 : 201,
          },
        })),
      },
    })
    const registry = new Registry()
    const shipper = new ElasticsearchShipper({ url, service: 'dex', backoffMs: 1, registry })
    for (let i = 0; i < 3; i++) shipper.write(line(i))
    await shipper.close()
    expect(requests[1]!.docs.map((doc) => doc.message)).toEqual(['line 1'])
    expect(shipper.shipped).toBe(2)
    expect(shipper.dropped).toBe(1)
    expect(await registry.getSingleMetricAsString('log_shipping_dropped_lines_total')).toContain(
      'log_shipping_dropped_lines_total 1',
    )
  })

  it('bounds the buffer while Elasticsearch is down and counts dropped lines', async () => {
    answer = () => ({ status: 503 })
    const shipper = new ElasticsearchShipper({
      url,
      service: 'dex',
      batchSize: 5,
      maxBufferedLines: 10,
      maxAttempts: 2,
      backoffMs: 1,
    })
    for (let i = 0; i < 40; i++) shipper.write(line(i))
    await shipper.close()
    expect(shipper.shipped).toBe(0)
    expect(shipper.dropped).toBe(40)
    // Never more than the buffer plus one batch in memory: later lines were dropped, not queued.
    expect(requests.length).toBeLessThanOrEqual(2 * (10 / 5 + 1))
  })

  it('receives masked ECS lines from a logger configured with shipping', async () => {
    const logger = createLogger({
      service: 'chat',
      destination: { write: () => true } as any,
      shipping: { url, flushIntervalMs: 60_000 },
    })
    logger.info({ user: { password: 'hunter2' } }, 'signed up')
    logger.debug('not at info level')
    await shutdownLogger(logger)
    const docs = requests.flatMap((request) => request.docs)
    expect(docs).toHaveLength(1)
    expect(docs[0]).toMatchObject({ message: 'signed up', 'service.name': 'chat', user: { password: MASK } })
    expect(requests[0]!.actions[0]!.create._index).toBe(dailyIndexName('chat', JSON.stringify(docs[0])))
  })
})
