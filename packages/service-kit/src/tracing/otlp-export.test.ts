import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { trace } from '@opentelemetry/api'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { startTracing, type Tracing } from './index.js'

// A local OTLP/HTTP receiver: it records what the exporter POSTs, as a collector would receive it.
const received: { url: string; headers: IncomingHttpHeaders; body: any }[] = []
let receiver: Server
let tracing: Tracing

beforeAll(async () => {
  receiver = createServer((request, response) => {
    let body = ''
    request.on('data', (chunk) => {
      body += chunk
    })
    request.on('end', () => {
      received.push({ url: request.url ?? '', headers: request.headers, body: JSON.parse(body) })
      response.writeHead(200, { 'content-type': 'application/json' }).end('{}')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  const endpoint = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`
  tracing = startTracing({
    service: 'otlp-test',
    version: '9.9.9',
    endpoint,
    headers: 'x-api-key=vendor-key',
    // A root span of its own: keep every trace rather than the default 10 %.
    sampler: 'always_on',
  })
})

afterAll(async () => {
  await tracing.shutdown()
  await new Promise((resolve) => receiver.close(resolve))
})

describe('OTLP/HTTP export', () => {
  it('posts finished spans to <endpoint>/v1/traces with the service resource and headers', async () => {
    const span = trace.getTracer('test').startSpan('settle-trade')
    const traceId = span.spanContext().traceId
    span.end()
    await tracing.forceFlush()
    const post = received.find((entry) => entry.url === '/v1/traces')
    expect(post).toBeDefined()
    expect(post!.headers['x-api-key']).toBe('vendor-key')
    const resourceSpans = post!.body.resourceSpans[0]
    const attributes = Object.fromEntries(
      resourceSpans.resource.attributes.map((attribute: any) => [attribute.key, attribute.value.stringValue]),
    )
    expect(attributes).toMatchObject({ 'service.name': 'otlp-test', 'service.version': '9.9.9' })
    const spans = resourceSpans.scopeSpans.flatMap((scope: any) => scope.spans)
    const exported = spans.find((candidate: any) => candidate.name === 'settle-trade')
    expect(exported).toBeDefined()
    expect(exported.traceId).toBe(traceId)
  })
})
