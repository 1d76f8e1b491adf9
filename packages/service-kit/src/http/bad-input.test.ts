import { Type } from '@sinclair/typebox'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type App, createApp, HttpProblem, problems } from './index.js'
import { memoryLogger } from './test-support.js'

let app: App

beforeAll(async () => {
  app = await createApp({
    service: 'bad-input-test',
    logger: memoryLogger().logger,
    openapi: { title: 'test' },
    bodyLimit: 1024,
  })
  app.post(
    '/v1/users',
    {
      schema: {
        body: Type.Object(
          {
            name: Type.String({ minLength: 1 }),
            age: Type.Integer(),
            address: Type.Object({ zip: Type.String() }),
          },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => ({ created: request.body.name }),
  )
  app.get('/v1/users/:id', async () => ({ ok: true }))
  app.get('/v1/conflict', async () => {
    throw problems.conflict('Name already taken.', 'name_taken')
  })
  app.get('/v1/teapot', async () => {
    throw new HttpProblem(422, 'amount_too_small', 'Amount below minimum.', { minimum: '100' })
  })
  app.get('/v1/limited', async () => {
    throw problems.tooManyRequests(7)
  })
  app.get('/v1/crash', async () => {
    throw new Error('database password is hunter2')
  })
  // what node-postgres throws while the database restarts or fails over
  app.get('/v1/db-shutting-down', async () => {
    throw Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' })
  })
  app.get('/v1/db-connection-cut', async () => {
    throw new Error('Connection terminated unexpectedly')
  })
  app.get('/v1/redis-closed', async () => {
    throw new Error('Connection is closed.')
  })
  app.get('/v1/db-refused', async () => {
    throw Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' })
  })
  await app.ready()
})
afterAll(() => app.close())

function expectProblem(
  response: { statusCode: number; headers: Record<string, unknown>; json(): any },
  status: number,
  code: string,
) {
  expect(response.statusCode).toBe(status)
  expect(response.headers['content-type']).toMatch(/^application\/problem\+json/)
  const body = response.json()
  expect(body).toMatchObject({ status, code, type: `urn:problem:${code}`, title: expect.any(String) })
  return body
}

describe('bad input gets problem+json, never a 500', () => {
  it("answers a path parameter over the router's length limit with 414 uri_too_long", async () => {
    const response = await app.inject({ method: 'GET', url: `/v1/users/${'x'.repeat(500)}` })
    expectProblem(response, 414, 'uri_too_long')
  })

  it('answers malformed JSON with 400 malformed_json', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "ada",',
    })
    expectProblem(response, 400, 'malformed_json')
  })

  it('answers wrong types with 400 and the JSON-pointer path of each field', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { name: 'ada', age: 'old', address: { zip: { code: 1 } }, extra: true },
    })
    const body = expectProblem(response, 400, 'validation_failed')
    const paths = body.errors.map((error: { path: string }) => error.path)
    expect(paths).toEqual(expect.arrayContaining(['/age', '/address/zip', '/extra']))
    for (const error of body.errors) expect(error).toMatchObject({ in: 'body', message: expect.any(String) })
  })

  it('names a missing required field by its path', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { age: 3, address: { zip: '1' } },
    })
    const body = expectProblem(response, 400, 'validation_failed')
    expect(body.errors.map((error: { path: string }) => error.path)).toContain('/name')
  })

  it('answers an oversized body with 413 payload_too_large', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      payload: { name: 'x'.repeat(5000), age: 1, address: { zip: '1' } },
    })
    expectProblem(response, 413, 'payload_too_large')
  })

  it('answers an unsupported content type with 415', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/v1/users',
      headers: { 'content-type': 'application/x-unknown' },
      payload: 'hello',
    })
    expectProblem(response, 415, 'unsupported_media_type')
  })

  it('answers an unknown route with 404 route_not_found', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/nothing/here?x=1' })
    const body = expectProblem(response, 404, 'route_not_found')
    expect(body.instance).toBe('/v1/nothing/here')
  })

  it('answers a known path with the wrong method with 405 and Allow', async () => {
    const response = await app.inject({ method: 'DELETE', url: '/v1/users/42' })
    expectProblem(response, 405, 'method_not_allowed')
    // No CORS allowlist in this app, so OPTIONS is not served and not listed.
    expect(response.headers.allow).toBe('GET, HEAD')
  })

  it('passes problems thrown by routes through with their code and extensions', async () => {
    expect(expectProblem(await app.inject({ url: '/v1/conflict' }), 409, 'name_taken').detail).toBe(
      'Name already taken.',
    )
    expect(expectProblem(await app.inject({ url: '/v1/teapot' }), 422, 'amount_too_small').minimum).toBe(
      '100',
    )
    const limited = await app.inject({ url: '/v1/limited' })
    expectProblem(limited, 429, 'rate_limited')
    expect(limited.headers['retry-after']).toBe('7')
  })

  it('hides the message of an unexpected error behind 500 internal_error', async () => {
    const response = await app.inject({ url: '/v1/crash' })
    const body = expectProblem(response, 500, 'internal_error')
    expect(JSON.stringify(body)).not.toContain('hunter2')
  })
  it.each(['/v1/db-shutting-down', '/v1/db-connection-cut', '/v1/db-refused', '/v1/redis-closed'])(
    'answers an unreachable database or Redis (%s) with 503 service_unavailable and Retry-After, not 500',
    async (url) => {
      const response = await app.inject({ url })
      const body = expectProblem(response, 503, 'service_unavailable')
      expect(response.headers['retry-after']).toBe('1')
      expect(JSON.stringify(body)).not.toContain('127.0.0.1')
    },
  )
})
