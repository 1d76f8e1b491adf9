import { createServer, request as httpRequest, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { SpanKind } from '@opentelemetry/api'
import { InMemorySpanExporter } from '@opentelemetry/sdk-trace-base'
import { Redis } from 'ioredis'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestDatabase, type Database } from '../db/index.js'
import { type App, createApp } from '../http/index.js'
import { memoryLogger } from '../http/test-support.js'
import { startTracing, type Tracing, traceHeaders } from './index.js'

// One tracer per process (the NodeSDK is global), so this file owns it; the OTLP export has its own file.
const exporter = new InMemorySpanExporter()
let tracing: Tracing
let app: App
let appUrl: string
let downstream: Server
let downstreamUrl: string
const downstreamHeaders: IncomingHttpHeaders[] = []
const { logger, lines } = memoryLogger('tracing-test')
let database: Database | undefined
let redis: Redis | undefined

const TRACE_ID = '4bf92f3577b34da6a3ce929d0e0e4736'
const PARENT_SPAN = '00f067aa0ba902b7'

// fetch (undici) is not instrumented, so the test client does not start a trace of its own.
async function get(url: string): Promise<{ status: number; body: string }> {
  const response = await fetch(url, { headers: { traceparent: `00-${TRACE_ID}-${PARENT_SPAN}-01` } })
  return { status: response.status, body: await response.text() }
}

function spansOfTrace() {
  return exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === TRACE_ID)
}

beforeAll(async () => {
  tracing = startTracing({ service: 'tracing-test', exporter })
  downstream = createServer((request, response) => {
    downstreamHeaders.push(request.headers)
    response.end('{"ok":true}')
  })
  await new Promise<void>((resolve) => downstream.listen(0, '127.0.0.1', resolve))
  downstreamUrl = `http://127.0.0.1:${(downstream.address() as AddressInfo).port}`
  if (process.env.DATABASE_URL) database = await createTestDatabase('tracing')
  if (process.env.REDIS_URL) redis = new Redis(process.env.REDIS_URL, { lazyConnect: true })

  app = await createApp({
    service: 'tracing-test',
    logger,
    openapi: { title: 't' },
    tracing,
    slowOperations: { requestMs: 0, externalMs: 0 },
  })
  app.get('/v1/items/:id', async (request) => {
    request.log.info('looking up item')
    return { ok: true }
  })
  app.get('/v1/outgoing', async () => {
    const body = await new Promise<string>((resolve, reject) => {
      httpRequest(`${downstreamUrl}/quote?secret=1`, (response) => {
        let text = ''
        response.on('data', (chunk) => {
          text += chunk
        })
        response.on('end', () => resolve(text))
      })
        .on('error', reject)
        .end()
    })
    return JSON.parse(body)
  })
  // fetch is not instrumented: traceHeaders() carries the trace to the callee by hand.
  app.get('/v1/fetch-out', async () => {
    const response = await fetch(`${downstreamUrl}/quote`, { headers: traceHeaders() })
    return response.json()
  })
  app.get('/v1/db', async () => {
    const { rows } = await sql<{ one: number }>`select 1 as one`.execute(database!.kysely)
    return rows[0]
  })
  app.get('/v1/redis', async () => ({ pong: await redis!.ping() }))
  appUrl = await app.listen({ port: 0, host: '127.0.0.1' })
})

afterAll(async () => {
  await app?.close()
  await new Promise((resolve) => downstream.close(resolve))
  await database?.close()
  redis?.disconnect()
  await tracing?.shutdown()
})

describe('tracing', () => {
  it('continues an incoming traceparent in a server span named by route template', async () => {
    exporter.reset()
    expect((await get(`${appUrl}/v1/items/7`)).status).toBe(200)
    const server = spansOfTrace().find((span) => span.kind === SpanKind.SERVER)
    expect(server).toBeDefined()
    expect(server!.name).toBe('GET /v1/items/:id')
    expect(server!.attributes['http.route']).toBe('/v1/items/:id')
    expect(server!.parentSpanContext?.spanId).toBe(PARENT_SPAN)
  })

  it('puts the trace id and the request id on log lines written while serving', async () => {
    await get(`${appUrl}/v1/items/8`)
    const line = lines.find(
      (candidate) => candidate.message === 'looking up item' && candidate['trace.id'] === TRACE_ID,
    )
    expect(line).toBeDefined()
    expect(line!['request.id']).toEqual(expect.any(String))
    expect(line!['span.id']).toMatch(/^[0-9a-f]{16}$/)
  })

  it('propagates traceparent on outgoing HTTP and records a client span', async () => {
    exporter.reset()
    expect((await get(`${appUrl}/v1/outgoing`)).status).toBe(200)
    const sent = downstreamHeaders.at(-1)!.traceparent as string
    expect(sent.split('-')[1]).toBe(TRACE_ID)
    const client = spansOfTrace().find((span) => span.kind === SpanKind.CLIENT)
    expect(client).toBeDefined()
    expect(sent.split('-')[2]).toBe(client!.spanContext().spanId)
  })

  it('gives a fetch made while serving the server span as parent through traceHeaders()', async () => {
    exporter.reset()
    expect((await get(`${appUrl}/v1/fetch-out`)).status).toBe(200)
    const sent = downstreamHeaders.at(-1)!.traceparent as string
    expect(sent.split('-')[1]).toBe(TRACE_ID)
    const server = spansOfTrace().find((span) => span.kind === SpanKind.SERVER)
    expect(sent.split('-')[2]).toBe(server!.spanContext().spanId)
  })

  it('warns and counts slow requests and slow external calls', async () => {
    await get(`${appUrl}/v1/outgoing`)
    const slow = lines.filter((line) => line['event.kind'] === 'slow_operation')
    expect(slow.some((line) => line.slow.kind === 'request')).toBe(true)
    const external = slow.find((line) => line.slow.kind === 'external')
    expect(external).toBeDefined()
    expect(external!['url.full']).toBe(`${downstreamUrl}/quote`)
    const metrics = await (await fetch(`${appUrl}/metrics`)).text()
    expect(metrics).toMatch(/slow_operations_total\{kind="request",service="tracing-test"\} [1-9]/)
    expect(metrics).toMatch(/slow_operations_total\{kind="external",service="tracing-test"\} [1-9]/)
  })

  it('keeps an unsampled trace in logs and traceparent, exports none of it, and still sees slow calls', async () => {
    exporter.reset()
    const unsampled = 'a1b2c3d4e5f60718293a4b5c6d7e8f90'
    const slowBefore = lines.filter((line) => line.slow?.kind === 'external').length
    const response = await fetch(`${appUrl}/v1/outgoing`, {
      headers: { traceparent: `00-${unsampled}-${PARENT_SPAN}-00` },
    })
    expect(response.status).toBe(200)
    const sent = (downstreamHeaders.at(-1)!.traceparent as string).split('-')
    expect(sent[1]).toBe(unsampled)
    expect(sent[3]).toBe('00')
    const logged = lines.filter((line) => line['trace.id'] === unsampled)
    expect(logged.map((line) => line.message)).toContain('request completed')
    for (const line of logged) expect(line['request.id']).toEqual(expect.any(String))
    await tracing.forceFlush()
    expect(exporter.getFinishedSpans().filter((span) => span.spanContext().traceId === unsampled)).toEqual([])
    // The outgoing call's client span was recorded (not exported) for slow-call detection.
    const slowAfter = lines.filter((line) => line.slow?.kind === 'external')
    expect(slowAfter.length).toBeGreaterThan(slowBefore)
    expect(slowAfter.at(-1)!['trace.id']).toBe(unsampled)
  })

  it.runIf(process.env.DATABASE_URL)('records pg query spans inside the request trace', async () => {
    exporter.reset()
    expect((await get(`${appUrl}/v1/db`)).status).toBe(200)
    const query = spansOfTrace().find(
      (span) => span.attributes['db.system'] === 'postgresql' && span.name.startsWith('pg.query'),
    )
    expect(query).toBeDefined()
  })

  it.runIf(process.env.REDIS_URL)('records ioredis command spans inside the request trace', async () => {
    exporter.reset()
    expect((await get(`${appUrl}/v1/redis`)).status).toBe(200)
    const command = spansOfTrace().find(
      (span) => span.attributes['db.system'] === 'redis' && span.name === 'ping',
    )
    expect(command).toBeDefined()
    expect(command!.kind).toBe(SpanKind.CLIENT)
  })
})
