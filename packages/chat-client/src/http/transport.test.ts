import { describe, expect, it } from 'vitest'
import { TokenManager } from '../auth/tokens.js'
import { backoffDelay } from './backoff.js'
import { ChatError } from './errors.js'
import { fillPath, queryString, Transport } from './transport.js'

const jwt = (claims: object) => `e30.${btoa(JSON.stringify(claims)).replaceAll('=', '')}.sig`
const problem = (status: number, code: string, headers: Record<string, string> = {}) =>
  new Response(JSON.stringify({ type: 'about:blank', title: code, status, code, detail: code }), {
    status,
    headers: { 'content-type': 'application/problem+json', ...headers },
  })

function transport(responses: (Response | Error)[], options: { tokens?: TokenManager } = {}) {
  const calls: { url: string; method: string; auth: string }[] = []
  const t = new Transport({
    baseUrl: 'http://chat.test/',
    tokens: options.tokens ?? new TokenManager(async () => jwt({ sub: 'alice', exp: 4_000_000_000 })),
    retry: { attempts: 3, baseMs: 1, maxMs: 2 },
    fetch: async (url, init) => {
      calls.push({
        url: String(url),
        method: init?.method ?? 'GET',
        auth: String((init?.headers as any)?.authorization),
      })
      const next = responses.shift()
      if (!next) throw new Error('no more responses')
      if (next instanceof Error) throw next
      return next
    },
  })
  return { t, calls }
}

describe('REST transport', () => {
  it('retries an idempotent call after no answer and after a 503, then succeeds', async () => {
    const { t, calls } = transport([
      new TypeError('down'),
      problem(503, 'unavailable'),
      Response.json({ user: { id: 'alice' } }),
    ])
    const me = await t.call('GET /v1/me', {})
    expect(me.user.id).toBe('alice')
    expect(calls).toHaveLength(3)
  })

  it('does not retry a non-idempotent call without an answer', async () => {
    const { t, calls } = transport([new TypeError('down'), Response.json({})])
    const error = await t.call('POST /v1/me/logout', {}).catch((e: unknown) => e)
    expect(error).toMatchObject({ status: 0, code: 'network_error', transient: true })
    expect(calls).toHaveLength(1)
  })

  it('turns problem+json into ChatError with code and field paths, without retrying a 4xx', async () => {
    const body = {
      type: 'about:blank',
      title: 'Bad',
      status: 400,
      code: 'validation_failed',
      errors: [{ path: '/text', message: 'too long' }],
    }
    const { t, calls } = transport([
      new Response(JSON.stringify(body), {
        status: 400,
        headers: { 'content-type': 'application/problem+json' },
      }),
    ])
    const error = (await t.call('GET /v1/me', {}).catch((e: unknown) => e)) as ChatError
    expect(error).toBeInstanceOf(ChatError)
    expect([error.status, error.code, error.fieldErrors]).toEqual([
      400,
      'validation_failed',
      [{ path: '/text', message: 'too long' }],
    ])
    expect(calls).toHaveLength(1)
  })

  it('asks the token provider again after a 401 and repeats the call once with the new token', async () => {
    let n = 0
    const tokens = new TokenManager(async () => jwt({ sub: 'alice', n: ++n, exp: 4_000_000_000 }))
    const { t, calls } = transport(
      [problem(401, 'token_expired'), Response.json({ user: { id: 'alice' } })],
      { tokens },
    )
    await t.call('POST /v1/me/logout', {})
    expect(n).toBe(2)
    expect(calls[0]!.auth).not.toBe(calls[1]!.auth)
  })

  it('refreshes a token shortly before it expires, and shares one provider call', async () => {
    let n = 0
    let now = 0
    const tokens = new TokenManager(
      async () => jwt({ sub: 'alice', exp: 100 + ++n }),
      () => now,
    )
    await Promise.all([tokens.accessToken(), tokens.accessToken(), tokens.accessToken()])
    expect(n).toBe(1)
    now = 60_000 // 41 s before exp 101: still fine
    await tokens.accessToken()
    expect(n).toBe(1)
    now = 80_000 // within the 30 s margin
    await tokens.accessToken()
    expect(n).toBe(2)
  })

  it('fills and encodes path parameters and drops empty query values', () => {
    expect(fillPath('/v1/messages/{messageId}/reactions/{type}', { messageId: 'a b', type: ':tada:' })).toBe(
      '/v1/messages/a%20b/reactions/%3Atada%3A',
    )
    expect(() => fillPath('/v1/channels/{channelId}', {})).toThrow('channelId')
    expect(queryString({ limit: 5, before: undefined, q: 'a&b' })).toBe('?limit=5&q=a%26b')
  })

  it('backs off exponentially with full jitter, capped', () => {
    const options = { baseMs: 100, maxMs: 1_000 }
    expect([0, 1, 2, 3, 10].map((attempt) => backoffDelay(attempt, options, () => 0.999))).toEqual([
      99, 199, 399, 799, 999,
    ])
    expect(backoffDelay(5, options, () => 0)).toBe(0)
  })
})
