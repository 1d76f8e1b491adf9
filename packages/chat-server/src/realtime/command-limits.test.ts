/**
 * A socket cannot turn denied commands into unbounded database lookups, and bad connection tokens
 * spend the same per-address failed-authentication budget as bad HTTP credentials.
 */
import { MemoryRateLimitStore } from '@platform/service-kit/ratelimit'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { AuthFailureBudget } from '../access/auth-failures.js'
import type { ChannelAuthorizer } from './auth.js'
import { DEFAULT_GATEWAY_OPTIONS } from './context.js'
import {
  newAppId,
  RawClient,
  signToken,
  startTestGateway,
  type TestGateway,
  waitFor,
} from './test-support.js'

describe('per-connection command limits and the failed-authentication budget', () => {
  const appId = newAppId()
  let lookups = 0
  const denyAll: ChannelAuthorizer = {
    async canSubscribe() {
      lookups++
      return false
    },
  }
  const store = new MemoryRateLimitStore()
  const FAILURES = 3
  /** Denied subscribes in one frame (under the 64 KiB frame limit). */
  const FLOOD = 600
  let gw: TestGateway

  beforeAll(async () => {
    gw = await startTestGateway({
      authorizer: denyAll,
      authFailures: new AuthFailureBudget(FAILURES, store, undefined),
    })
  })
  afterAll(async () => {
    await gw.close()
    await store.close()
  })

  it('answers a flood of denied subscribes with 111 past the burst, without looking them up', async () => {
    const socket = await RawClient.open(gw.url)
    expect(
      (await socket.call({ id: 1, connect: { token: await signToken({ appId, userId: 'mallory' }) } }))
        .connect,
    ).toBeDefined()
    const flood = Array.from({ length: FLOOD }, (_, i) =>
      JSON.stringify({ id: i + 2, subscribe: { channel: `chat:${appId}:secret-${i}` } }),
    )
    socket.ws.send(flood.join('\n'))
    await waitFor(() => socket.replies.filter((r) => r.error).length === FLOOD, 20_000, 'every reply')
    const codes = socket.replies.filter((r) => r.error).map((r) => r.error.code)
    const { burst } = DEFAULT_GATEWAY_OPTIONS.commandRate
    expect(codes.filter((code) => code === 111).length).toBeGreaterThan(FLOOD - burst * 2)
    expect(lookups).toBeLessThan(burst * 2)
    // the connection survives: pings are never limited
    expect((await socket.call({ id: 5000, ping: {} })).ping).toBeDefined()
    socket.ws.terminate()
  })

  it('counts connects with a forged token against the address and then refuses its upgrades (429)', async () => {
    const forged = `${await signToken({ appId, userId: 'mallory' })}x`
    for (let i = 0; i < FAILURES; i++) {
      const socket = await RawClient.open(gw.url)
      socket.ws.send(JSON.stringify({ id: 1, connect: { token: forged } }))
      expect((await socket.closed).code).toBe(3500)
    }
    const refused = await new Promise<string>((resolve) => {
      const ws = new WebSocket(gw.url)
      ws.on('open', () => resolve('open'))
      ws.on('error', (err) => resolve(err.message))
    })
    expect(refused).toMatch(/429/)
  })
})
