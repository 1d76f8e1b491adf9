import type { Centrifuge } from 'centrifuge'
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  FakeMembership,
  newAppId,
  newClient,
  signToken,
  sleep,
  startTestGateway,
  type TestGateway,
  waitFor,
} from './test-support.js'

describe('connecting with the centrifuge client', () => {
  let gw: TestGateway
  const clients: Centrifuge[] = []
  const appId = newAppId()

  beforeAll(async () => {
    gw = await startTestGateway({ authorizer: new FakeMembership(), expiredCloseDelayMs: 300 })
  })
  afterEach(() => {
    for (const c of clients.splice(0)) c.disconnect()
  })
  afterAll(() => gw.close())

  it('connects with a valid token and is subscribed to its own user channel on the server side', async () => {
    const client = newClient(gw.url, { token: await signToken({ appId, userId: 'alice' }) })
    clients.push(client)
    const serverSubs: string[] = []
    client.on('subscribed', (ctx) => serverSubs.push(ctx.channel))
    const connected = new Promise<{ client: string }>((resolve) => client.on('connected', resolve))
    client.connect()
    const ctx = await connected
    expect(ctx.client).toMatch(/[0-9a-f-]{36}/)
    await waitFor(() => serverSubs.length > 0)
    expect(serverSubs).toEqual([`user:${appId}:alice`])

    const received: unknown[] = []
    client.on('publication', (p) => received.push(p.data))
    await gw.gateway.publisher.publish({ channel: `user:${appId}:alice`, data: { hello: 1 } })
    await waitFor(() => received.length === 1)
    expect(received).toEqual([{ hello: 1 }])
  })

  it('gets a fresh token from getToken when the first one has expired', async () => {
    let calls = 0
    const client = newClient(gw.url, {
      token: await signToken({ appId, userId: 'bob', expInSeconds: -10 }),
      getToken: async () => {
        calls++
        return signToken({ appId, userId: 'bob', expInSeconds: 60 })
      },
    })
    clients.push(client)
    const errors: number[] = []
    client.on('error', (e) => errors.push(e.error.code))
    const connected = new Promise((resolve) => client.on('connected', resolve))
    client.connect()
    await connected
    expect(errors).toContain(109)
    expect(calls).toBe(1)
  })

  it('refreshes a token that expires while connected and keeps the same connection', async () => {
    let calls = 0
    const client = newClient(gw.url, {
      token: await signToken({ appId, userId: 'carol', expInSeconds: 2 }),
      getToken: async () => {
        calls++
        return signToken({ appId, userId: 'carol', expInSeconds: 60 })
      },
    })
    clients.push(client)
    const disconnects: number[] = []
    client.on('disconnected', (ctx) => disconnects.push(ctx.code))
    client.on('connecting', (ctx) => disconnects.push(ctx.code))
    const connected = new Promise<{ client: string }>((resolve) => client.on('connected', resolve))
    client.connect()
    const first = await connected
    disconnects.length = 0
    // Past exp plus the server's close delay: an unrefreshed connection would be closed by now.
    await sleep(3500)
    expect(calls).toBe(1)
    expect(disconnects).toEqual([])
    expect(client.state).toBe('connected')
    // The session is still the first one: the gateway sees exactly one connection for it.
    expect((client as unknown as { _client: string })._client).toBe(first.client)
  })

  it('closes a connection whose token expired without a refresh (3005) and one with a bad token (3500)', async () => {
    // A raw client that never refreshes: the centrifuge client would try to refresh by itself.
    const expiringToken = await signToken({ appId, userId: 'dave', expInSeconds: 1 })
    const raw = new WebSocket(gw.url)
    const closed = new Promise<number>((resolve) => raw.on('close', (code) => resolve(code)))
    raw.on('open', () => raw.send(JSON.stringify({ id: 1, connect: { token: expiringToken } })))
    expect(await closed).toBe(3005)

    const bad = newClient(gw.url, { token: 'not-a-jwt' })
    clients.push(bad)
    const done = new Promise<{ code: number }>((resolve) => bad.on('disconnected', resolve))
    bad.connect()
    expect((await done).code).toBe(3500)
  })
})
