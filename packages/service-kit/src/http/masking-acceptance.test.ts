import { describe, expect, it } from 'vitest'
import { MASK } from '../logging/index.js'
import { createApp } from './index.js'
import { memoryLogger } from './test-support.js'

const SECRETS = [
  'Bearer sk-live-header',
  'tok-from-header',
  'sid=cookie-secret',
  'hunter2',
  'tok-nested',
  'refresh-deep',
  'k-in-array',
]

describe('masking acceptance', () => {
  it('masks password, token and authorization in headers, body and nested objects, on lines with request and trace ids', async () => {
    const { logger, lines } = memoryLogger('masking-test')
    const app = await createApp({
      service: 'masking-test',
      logger,
      openapi: { title: 't' },
      logRequestDetails: true,
    })
    app.post('/v1/signup', async (request) => {
      request.log.info({ body: request.body, headers: request.headers }, 'signup received')
      request.log.warn(
        { err: Object.assign(new Error('upstream said no'), { token: 'tok-nested' }) },
        'upstream call failed',
      )
      return { ok: true }
    })
    const response = await app.inject({
      method: 'POST',
      url: '/v1/signup',
      headers: {
        authorization: 'Bearer sk-live-header',
        'x-auth-token': 'tok-from-header',
        cookie: 'sid=cookie-secret',
        traceparent: '00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01',
      },
      payload: {
        email: 'ada@example.org',
        password: 'hunter2',
        profile: { token: 'tok-nested', settings: { refreshToken: 'refresh-deep' } },
        keys: [{ apiKey: 'k-in-array' }],
      },
    })
    expect(response.statusCode).toBe(200)
    await app.close()

    const requestId = response.headers['x-request-id']
    const mine = lines.filter((line) => line['request.id'] === requestId)
    expect(mine.map((line) => line.message)).toEqual([
      'signup received',
      'upstream call failed',
      'request completed',
    ])
    for (const line of mine) {
      expect(line['trace.id']).toBe('0af7651916cd43dd8448eb211c80319c')
      const text = JSON.stringify(line)
      for (const secret of SECRETS) expect(text).not.toContain(secret)
    }
    const [received, failed, completed] = mine
    expect(received!.headers).toMatchObject({ authorization: MASK, 'x-auth-token': MASK, cookie: MASK })
    expect(received!.body).toEqual({
      email: 'ada@example.org',
      password: MASK,
      profile: { token: MASK, settings: { refreshToken: MASK } },
      keys: [{ apiKey: MASK }],
    })
    expect(failed!.error).toMatchObject({ message: 'upstream said no', token: MASK })
    expect(completed!['http.request.headers']).toMatchObject({ authorization: MASK, cookie: MASK })
    expect(completed!['http.request.body']).toMatchObject({ password: MASK, profile: { token: MASK } })
  })
})
