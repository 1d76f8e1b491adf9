import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp } from '../http/index.js'
import { memoryLogger } from '../http/test-support.js'

let app: App
let release!: () => void
const slow = new Promise<void>((resolve) => {
  release = resolve
})

function sample(text: string, name: string, labels: Record<string, string>): number | undefined {
  const line = text.split('\n').find((candidate) => {
    if (!candidate.startsWith(`${name}{`)) return false
    return Object.entries(labels).every(([key, value]) => candidate.includes(`${key}="${value}"`))
  })
  return line === undefined ? undefined : Number(line.split(' ').pop())
}

beforeAll(async () => {
  app = await createApp({ service: 'metrics-test', logger: memoryLogger().logger, openapi: { title: 't' } })
  app.get('/v1/items/:id', async (request) => ({ id: (request.params as { id: string }).id }))
  app.post('/v1/slow', async () => {
    await slow
    return { done: true }
  })
  await app.ready()
})
afterAll(() => app.close())

describe('http metrics', () => {
  it('counts requests by route template, never by raw path, with a fixed label for unmatched routes', async () => {
    await app.inject({ url: '/v1/items/1' })
    await app.inject({ url: '/v1/items/2' })
    await app.inject({ url: '/v1/unknown/abc' })
    const text = (await app.inject({ url: '/metrics' })).body
    expect(
      sample(text, 'http_requests_total', { method: 'GET', route: '/v1/items/:id', status_code: '200' }),
    ).toBe(2)
    expect(sample(text, 'http_requests_total', { route: '__unmatched__', status_code: '404' })).toBe(1)
    expect(text).not.toContain('/v1/items/1')
    expect(text).not.toContain('/v1/unknown/abc')
    expect(sample(text, 'http_request_duration_seconds_count', { route: '/v1/items/:id' })).toBe(2)
    expect(sample(text, 'http_request_size_bytes_count', { route: '/v1/items/:id' })).toBe(2)
    expect(sample(text, 'http_response_size_bytes_count', { route: '/v1/items/:id' })).toBe(2)
    expect(text).toMatch(/^process_cpu_user_seconds_total\{service="metrics-test"\} /m)
  })

  it('reports requests in flight', async () => {
    const pending = app.inject({ method: 'POST', url: '/v1/slow' })
    await new Promise((resolve) => setImmediate(resolve))
    const during = (await app.inject({ url: '/metrics' })).body
    expect(sample(during, 'http_requests_in_flight', { method: 'POST' })).toBe(1)
    release()
    await pending
    const after = (await app.inject({ url: '/metrics' })).body
    expect(sample(after, 'http_requests_in_flight', { method: 'POST' })).toBe(0)
  })

  it('keeps a registry per app so two services share a process', async () => {
    const other = await createApp({
      service: 'metrics-other',
      logger: memoryLogger().logger,
      openapi: { title: 't' },
    })
    other.get('/only-here', async () => 'ok')
    await other.inject({ url: '/only-here' })
    const mine = (await app.inject({ url: '/metrics' })).body
    const theirs = (await other.inject({ url: '/metrics' })).body
    expect(theirs).toContain('route="/only-here"')
    expect(mine).not.toContain('route="/only-here"')
    await other.close()
  })

  it('requires the bearer token on /metrics when one is configured', async () => {
    const guarded = await createApp({
      service: 'metrics-guarded',
      logger: memoryLogger().logger,
      openapi: { title: 't' },
      metricsToken: 'scrape-token-0123456789',
    })
    const refused = await guarded.inject({ url: '/metrics' })
    expect(refused.statusCode).toBe(401)
    expect(refused.json().code).toBe('unauthorized')
    const wrong = await guarded.inject({ url: '/metrics', headers: { authorization: 'Bearer nope' } })
    expect(wrong.statusCode).toBe(401)
    const allowed = await guarded.inject({
      url: '/metrics',
      headers: { authorization: 'Bearer scrape-token-0123456789' },
    })
    expect(allowed.statusCode).toBe(200)
    expect(allowed.body).toContain('http_requests_total')
    await guarded.close()
  })
})
