import { PassThrough } from 'node:stream'
import { describe, expect, it } from 'vitest'
import { createLogger, createMasker, MASK, requestContext } from './index.js'

function capture() {
  const stream = new PassThrough()
  const lines: Record<string, any>[] = []
  stream.on('data', (chunk: Buffer) => {
    for (const line of chunk.toString().split('\n')) if (line) lines.push(JSON.parse(line))
  })
  return { stream, lines }
}

describe('logger', () => {
  it('writes ECS lines with service name, level and message', () => {
    const { stream, lines } = capture()
    createLogger({ service: 'kit-test', destination: stream }).info({ answer: 42 }, 'hello')
    expect(lines[0]).toMatchObject({
      'service.name': 'kit-test',
      'log.level': 'info',
      message: 'hello',
      answer: 42,
      'ecs.version': expect.any(String),
      '@timestamp': expect.any(String),
    })
  })

  it('masks secrets by key pattern in nested objects and arrays, case-insensitively', () => {
    const { stream, lines } = capture()
    createLogger({ service: 'kit-test', destination: stream }).info(
      {
        user: { name: 'ada', Password: 'hunter2', profile: { refresh_token: 'r-1', API_KEY: 'k-1' } },
        headers: {
          Authorization: 'Bearer abc',
          cookie: 'sid=1',
          'set-cookie': ['a=1', 'b=2'],
          'x-api-key': 'k-2',
        },
        attempts: [{ privateKey: '0xdead', clientSecret: 's' }],
        swap: { token0: '0xaaa', tokenIn: '0xbbb', tokens: ['0xccc'] },
      },
      'signup',
    )
    const line = lines[0]!
    expect(line.user).toEqual({
      name: 'ada',
      Password: MASK,
      profile: { refresh_token: MASK, API_KEY: MASK },
    })
    expect(line.headers).toEqual({ Authorization: MASK, cookie: MASK, 'set-cookie': MASK, 'x-api-key': MASK })
    expect(line.attempts).toEqual([{ privateKey: MASK, clientSecret: MASK }])
    expect(line.swap).toEqual({ token0: '0xaaa', tokenIn: '0xbbb', tokens: ['0xccc'] })
    expect(JSON.stringify(line)).not.toMatch(/hunter2|abc|0xdead|r-1|k-1|k-2|sid=1/)
  })

  it('masks explicit paths, with * for one segment', () => {
    const { stream, lines } = capture()
    createLogger({ service: 'kit-test', destination: stream, maskPaths: ['card.number', '*.pin'] }).info({
      card: { number: '4111111111111111', brand: 'visa' },
      atm: { pin: '1234' },
    })
    expect(lines[0]!.card).toEqual({ number: MASK, brand: 'visa' })
    expect(lines[0]!.atm).toEqual({ pin: MASK })
  })

  it('masks secrets carried inside errors and their causes', () => {
    const { stream, lines } = capture()
    const cause = Object.assign(new Error('upstream refused'), { headers: { authorization: 'Bearer zzz' } })
    const error = Object.assign(new Error('login failed', { cause }), { password: 'hunter2', status: 401 })
    createLogger({ service: 'kit-test', destination: stream }).error({ err: error }, 'failure')
    const logged = lines[0]!.error
    expect(logged).toMatchObject({ type: 'Error', message: 'login failed', password: MASK, status: 401 })
    expect(logged.stack_trace).toContain('login failed')
    expect(logged.cause).toMatchObject({ message: 'upstream refused', headers: { authorization: MASK } })
    expect(JSON.stringify(lines[0])).not.toMatch(/hunter2|zzz/)
  })

  it('adds request.id and trace.id from the request context to every line', () => {
    const { stream, lines } = capture()
    const logger = createLogger({ service: 'kit-test', destination: stream })
    requestContext.run({ requestId: 'req-1', traceId: '4bf92f3577b34da6a3ce929d0e0e4736' }, () => {
      logger.info('inside')
      logger.child({ component: 'x' }).warn('child inside')
    })
    logger.info('outside')
    expect(lines[0]).toMatchObject({ 'request.id': 'req-1', 'trace.id': '4bf92f3577b34da6a3ce929d0e0e4736' })
    expect(lines[1]).toMatchObject({ 'request.id': 'req-1', component: 'x' })
    expect(lines[2]!['request.id']).toBeUndefined()
  })

  it('never changes the logged objects: only what holds a secret is copied', () => {
    const plain = { name: 'ada', tags: ['a', 'b'] }
    const body = { user: { password: 'hunter2' }, keys: [{ token: 't-1' }], plain }
    const masked = createMasker()(body) as any
    expect(masked).toEqual({ user: { password: MASK }, keys: [{ token: MASK }], plain })
    expect(body).toEqual({ user: { password: 'hunter2' }, keys: [{ token: 't-1' }], plain })
    expect(masked.plain).toBe(plain)
    const clean = { a: 1, nested: { b: 'x' } }
    expect(createMasker()(clean)).toBe(clean)
  })

  it('marks real cycles as circular but not an object logged twice', () => {
    const shared = { id: 7 }
    const cyclic: Record<string, unknown> = { name: 'loop' }
    cyclic.self = cyclic
    const masked = createMasker()({ first: shared, second: shared, cyclic }) as any
    expect(masked.second).toEqual({ id: 7 })
    expect(masked.cyclic.self).toBe('[Circular]')
  })
})
