import { describe, expect, it } from 'vitest'
import { createApp } from '../http/index.js'
import { memoryLogger } from '../http/test-support.js'
import { pingCheck, redisCheck } from './index.js'

const healthy = { ping: async () => 'PONG' }
const refusing = { ping: async () => Promise.reject(new Error('ECONNREFUSED 127.0.0.1:6379')) }
const hanging = () => new Promise<never>(() => {})

async function appWith(...checks: Parameters<typeof pingCheck>[]) {
  return createApp({
    service: 'health-test',
    logger: memoryLogger().logger,
    openapi: { title: 't' },
    readiness: checks.map((args) => pingCheck(...args)),
  })
}

describe('health', () => {
  it('answers live and ready with every dependency up', async () => {
    const app = await appWith(['database', healthy])
    app.readiness.add(redisCheck(healthy))
    expect((await app.inject({ url: '/health/live' })).json()).toEqual({ status: 'ok' })
    const ready = await app.inject({ url: '/health/ready' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({
      status: 'ok',
      checks: { database: { status: 'up' }, redis: { status: 'up' } },
    })
    await app.close()
  })

  it('answers 503 naming each failed or timed-out dependency', async () => {
    const app = await appWith(['database', healthy], ['redis', refusing], ['amqp', hanging, 50])
    const ready = await app.inject({ url: '/health/ready' })
    expect(ready.statusCode).toBe(503)
    expect(ready.headers['content-type']).toMatch(/^application\/problem\+json/)
    const body = ready.json()
    expect(body).toMatchObject({ code: 'dependency_unavailable', failed: ['redis', 'amqp'] })
    expect(body.detail).toContain('redis')
    expect(body.detail).toContain('amqp')
    expect(body.checks.redis.error).toContain('ECONNREFUSED')
    expect(body.checks.amqp.error).toContain('timed out after 50 ms')
    expect(body.checks.database.status).toBe('up')
    await app.close()
  })

  it('stays ready when only a non-critical check is down, naming it as degraded', async () => {
    const app = await appWith(['database', healthy])
    app.readiness.add({ ...pingCheck('upstream', refusing), critical: false })
    const ready = await app.inject({ url: '/health/ready' })
    expect(ready.statusCode).toBe(200)
    expect(ready.json()).toMatchObject({
      status: 'ok',
      degraded: ['upstream'],
      checks: { database: { status: 'up' }, upstream: { status: 'down' } },
    })
    // With a critical one down as well, only that one fails readiness.
    app.readiness.add(pingCheck('redis', refusing))
    const failed = await app.inject({ url: '/health/ready' })
    expect(failed.statusCode).toBe(503)
    expect(failed.json()).toMatchObject({ failed: ['redis'], degraded: ['upstream'] })
    await app.close()
  })

  it('turns not ready once shutdown begins, while staying live', async () => {
    const app = await appWith(['database', healthy])
    app.lifecycle.shuttingDown = true
    const ready = await app.inject({ url: '/health/ready' })
    expect(ready.statusCode).toBe(503)
    expect(ready.json().code).toBe('shutting_down')
    expect((await app.inject({ url: '/health/live' })).statusCode).toBe(200)
    await app.close()
  })
})
