import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp } from './index.js'
import { API_SECURITY_HEADERS } from './security-headers.js'
import { memoryLogger } from './test-support.js'

let app: App
const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

beforeAll(async () => {
  app = await createApp({
    service: 'create-app-test',
    version: '1.2.3',
    logger: memoryLogger().logger,
    openapi: { title: 'Kit test API', description: 'for tests' },
    cors: { origins: ['https://app.example.org'] },
  })
  app.get(
    '/v1/ping',
    {
      schema: {
        summary: 'Ping',
        response: { 200: { type: 'object', properties: { pong: { type: 'boolean' } } } },
      },
    },
    async () => ({ pong: true }),
  )
  await app.ready()
})
afterAll(() => app.close())

describe('createApp', () => {
  it('echoes an acceptable x-request-id and mints a UUIDv7 otherwise', async () => {
    const echoed = await app.inject({ url: '/v1/ping', headers: { 'x-request-id': 'abc-123' } })
    expect(echoed.headers['x-request-id']).toBe('abc-123')
    const minted = await app.inject({ url: '/v1/ping', headers: { 'x-request-id': 'bad id\nwith newline' } })
    expect(minted.headers['x-request-id']).toMatch(UUID_V7)
    const problem = await app.inject({ url: '/nowhere' })
    expect(problem.json().requestId).toBe(problem.headers['x-request-id'])
  })

  it('sets the API security headers on API responses, errors included', async () => {
    for (const url of ['/v1/ping', '/nowhere']) {
      const response = await app.inject({ url })
      for (const [name, value] of Object.entries(API_SECURITY_HEADERS))
        expect(response.headers[name], `${url} ${name}`).toBe(value)
      // document-only headers stay off JSON responses
      expect(response.headers['cross-origin-opener-policy']).toBeUndefined()
    }
  })

  it("sets helmet's document headers on the docs UI", async () => {
    const response = await app.inject({ url: '/docs' })
    expect(response.statusCode).toBe(200)
    expect(response.headers['cross-origin-opener-policy']).toBe('same-origin')
    expect(response.headers['x-content-type-options']).toBe('nosniff')
    expect(response.headers['content-security-policy']).toContain("script-src 'self'")
  })

  it('allows CORS only for listed origins', async () => {
    const allowed = await app.inject({ url: '/v1/ping', headers: { origin: 'https://app.example.org' } })
    expect(allowed.headers['access-control-allow-origin']).toBe('https://app.example.org')
    const refused = await app.inject({ url: '/v1/ping', headers: { origin: 'https://evil.example.com' } })
    expect(refused.headers['access-control-allow-origin']).toBeUndefined()
  })

  it('serves OpenAPI 3.1 with the routes and the Problem schema, and the docs UI', async () => {
    const spec = (await app.inject({ url: '/openapi.json' })).json()
    expect(spec.openapi).toBe('3.1.0')
    expect(spec.info).toMatchObject({ title: 'Kit test API', version: '1.2.3' })
    expect(spec.paths['/v1/ping'].get.summary).toBe('Ping')
    expect(spec.paths['/metrics']).toBeUndefined()
    expect(spec.components.schemas.Problem).toBeDefined()
    const docs = await app.inject({ url: '/docs' })
    expect([200, 302]).toContain(docs.statusCode)
    const page = await app.inject({ url: '/docs/' })
    expect(page.statusCode).toBe(200)
    expect(page.body).toContain('swagger')
  })
})
