import { once } from 'node:events'
import {
  createServer,
  request as httpRequest,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http'
import type { AddressInfo } from 'node:net'
import { type App, createApp } from '@platform/service-kit/http'
import { createLogger } from '@platform/service-kit/logging'
import { Type } from '@sinclair/typebox'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import type { DexDeps } from '../app.js'
import { loadDexConfig } from '../config.js'
import { mountRemoteIntelServices } from './mount.js'
import type { IntelService } from './service.js'

/**
 * The proxy against a plain HTTP upstream that records what reaches it, so every forwarded header
 * and byte can be checked; split.test.ts runs it between two real DEX servers.
 */
interface Seen {
  method: string
  url: string
  headers: IncomingMessage['headers']
  body: string
}

let upstream: Server
let origin: string
const seen: Seen[] = []
let respond: (request: IncomingMessage, response: ServerResponse) => void

beforeAll(async () => {
  upstream = createServer(async (request, response) => {
    const chunks: Buffer[] = []
    for await (const chunk of request) chunks.push(chunk as Buffer)
    seen.push({
      method: request.method ?? '',
      url: request.url ?? '',
      headers: request.headers,
      body: Buffer.concat(chunks).toString(),
    })
    respond(request, response)
  })
  upstream.listen(0, '127.0.0.1')
  await once(upstream, 'listening')
  origin = `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`
})
afterAll(async () => {
  upstream.closeAllConnections()
  await new Promise((resolve) => upstream.close(resolve))
})

/** A service with a validated POST and a GET, and a worker that must never start in the gateway. */
const workerStarts: string[] = []
const riskLike: IntelService = {
  name: 'risk',
  routes: async (app) => {
    app.post(
      '/risk/trade/:id',
      {
        schema: {
          summary: 'test route',
          tags: ['intel'],
          params: Type.Object({ id: Type.Integer() }),
          body: Type.Object({ amount: Type.String() }, { additionalProperties: false }),
        },
      },
      async () => {
        throw new Error('the gateway must not run the handler of a remote service')
      },
    )
    app.get('/risk/stream', async () => {
      throw new Error('the gateway must not run the handler of a remote service')
    })
  },
  health: () => ({ name: 'risk', check: async () => {} }),
  start: async () => {
    workerStarts.push('risk')
    return { stop: async () => {} }
  },
}

function rawRequest(
  url: string,
  options: { method: string; headers: Record<string, string>; body: string },
): Promise<{ status: number; headers: IncomingMessage['headers']; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: options.method, headers: options.headers }, async (res) => {
      const chunks: Buffer[] = []
      for await (const chunk of res) chunks.push(chunk as Buffer)
      resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString() })
    })
    req.on('error', reject)
    req.end(options.body)
  })
}

const logger = createLogger({ service: 'intel-proxy-test', level: 'silent' })
const deps = { config: loadDexConfig({}), logger } as DexDeps

async function gateway(timeoutMs = 5000, target = origin): Promise<{ app: App; url: string }> {
  const app = await createApp({ service: 'gateway-test', logger, openapi: { title: 'test' } })
  await app.register(async (scope) =>
    mountRemoteIntelServices([{ service: riskLike, origin: target }], { timeoutMs })(
      scope as unknown as App,
      deps,
    ),
  )
  const url = await app.listen({ port: 0, host: '127.0.0.1' })
  return { app, url }
}

describe('intel proxy', () => {
  let app: App | undefined
  afterEach(async () => {
    await app?.close()
    app = undefined
    seen.length = 0
  })

  it('forwards method, path, query, the body as sent and end-to-end headers, and answers as the upstream did', async () => {
    respond = (_request, response) => {
      response.writeHead(201, [
        ['content-type', 'application/json; charset=utf-8'],
        ['x-upstream', 'yes'],
        ['set-cookie', 'a=1; Path=/'],
        ['set-cookie', 'b=2; Path=/'],
        ['connection', 'keep-alive, x-hop'],
        ['x-hop', 'connection-only'],
      ])
      response.end('{"upstream":true}')
    }
    const started = await gateway()
    app = started.app
    // Not valid for the route's schema (id not an integer, an unknown field): the upstream decides.
    const body = '{"amount":"5", "extra":[1,2]}'
    // node:http, not fetch: fetch refuses to send a Connection header.
    const res = await rawRequest(`${started.url}/v1/intel/risk/trade/abc?x=1&y=%20z`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        authorization: 'Bearer token-1',
        cookie: 'dex_session=s1',
        'accept-language': 'ja',
        'x-request-id': 'client-req-1',
        'x-forwarded-for': '203.0.113.7',
        connection: 'keep-alive, x-private',
        'x-private': 'for-the-gateway-only',
      },
      body,
    })
    expect(res.status).toBe(201)
    expect(JSON.parse(res.body)).toEqual({ upstream: true })
    expect(res.headers['x-upstream']).toBe('yes')
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/'])
    expect(res.headers['x-hop']).toBeUndefined()
    expect(res.headers['x-request-id']).toBe('client-req-1')

    expect(seen).toHaveLength(1)
    const [request] = seen as [Seen]
    expect(request.method).toBe('POST')
    expect(request.url).toBe('/v1/intel/risk/trade/abc?x=1&y=%20z')
    expect(request.body).toBe(body)
    expect(request.headers).toMatchObject({
      'content-type': 'application/json',
      authorization: 'Bearer token-1',
      cookie: 'dex_session=s1',
      'accept-language': 'ja',
      'x-request-id': 'client-req-1',
      'x-forwarded-for': '203.0.113.7, 127.0.0.1',
      'x-forwarded-proto': 'http',
      'accept-encoding': 'identity',
    })
    expect(request.headers['x-forwarded-host']).toBe(new URL(started.url).host)
    expect(request.headers['x-private']).toBeUndefined()
    expect(request.headers['content-length']).toBe(String(Buffer.byteLength(body)))
    expect(workerStarts).toEqual([])
  })

  it('streams the answer: the client reads the first chunk before the upstream ends it', async () => {
    let finish: () => void = () => {}
    respond = (_request, response) => {
      response.writeHead(200, { 'content-type': 'text/plain' })
      response.write('first;')
      finish = () => response.end('last')
    }
    const started = await gateway()
    app = started.app
    const res = await fetch(`${started.url}/v1/intel/risk/stream`)
    const reader = (res.body as ReadableStream<Uint8Array>).getReader()
    const first = await reader.read()
    expect(new TextDecoder().decode(first.value)).toBe('first;')
    finish()
    let rest = ''
    for (let chunk = await reader.read(); !chunk.done; chunk = await reader.read()) {
      rest += new TextDecoder().decode(chunk.value)
    }
    expect(rest).toBe('last')
  })

  it('answers 504 problem+json when the upstream is too slow', async () => {
    respond = () => {} // never answers
    const started = await gateway(300)
    app = started.app
    const res = await fetch(`${started.url}/v1/intel/risk/stream`, { headers: { 'x-request-id': 'slow-1' } })
    expect(res.status).toBe(504)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(await res.json()).toMatchObject({
      status: 504,
      code: 'intel_upstream_timeout',
      title: 'Gateway Timeout',
      service: 'risk',
      requestId: 'slow-1',
      instance: '/v1/intel/risk/stream',
    })
  })

  it('ends the upstream request when the client goes away', async () => {
    let upstreamClosed: () => void = () => {}
    const closed = new Promise<void>((resolve) => {
      upstreamClosed = resolve
    })
    respond = (_request, response) => {
      response.once('close', () => upstreamClosed())
    }
    const started = await gateway(10_000)
    app = started.app
    await expect(
      fetch(`${started.url}/v1/intel/risk/stream`, { signal: AbortSignal.timeout(200) }),
    ).rejects.toThrow()
    // Long before the gateway's own 10 s timeout.
    await Promise.race([
      closed,
      new Promise((_, reject) => setTimeout(() => reject(new Error('upstream request still open')), 3000)),
    ])
  })

  it('answers 502 problem+json with Retry-After when nothing listens upstream, and stays ready', async () => {
    const closed = createServer()
    closed.listen(0, '127.0.0.1')
    await once(closed, 'listening')
    const port = (closed.address() as AddressInfo).port
    await new Promise((resolve) => closed.close(resolve))
    const started = await gateway(5000, `http://127.0.0.1:${port}`)
    app = started.app
    const res = await fetch(`${started.url}/v1/intel/risk/trade/1`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"amount":"1"}',
    })
    expect(res.status).toBe(502)
    expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/)
    expect(res.headers.get('retry-after')).toBe('1')
    expect(await res.json()).toMatchObject({ code: 'intel_upstream_unavailable', service: 'risk' })

    const ready = await fetch(`${started.url}/health/ready`)
    expect(ready.status).toBe(200)
    const body = (await ready.json()) as { degraded: string[]; checks: Record<string, { status: string }> }
    expect(body.degraded).toEqual(['intel.risk'])
    expect(body.checks['intel.risk']?.status).toBe('down')
  })
})
