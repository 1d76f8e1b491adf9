import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  FakeMembership,
  newAppId,
  newClient,
  RawClient,
  signToken,
  startTestGateway,
  type TestGateway,
} from './test-support.js'

describe('bad frames', () => {
  const appId = newAppId()
  const otherApp = newAppId()
  const room = `chat:${appId}:room`
  let gw: TestGateway
  let token: string

  beforeAll(async () => {
    gw = await startTestGateway({
      authorizer: new FakeMembership().add(room, 'mallory').add(`chat:${otherApp}:room`, 'mallory'),
      maxFrameBytes: 4096,
    })
    token = await signToken({ appId, userId: 'mallory' })
  })
  afterAll(() => gw.close())

  const connected = async () => {
    const c = await RawClient.open(gw.url)
    const reply = await c.call({ id: 1, connect: { token } })
    expect(reply.connect.client).toBeTypeOf('string')
    return c
  }

  it('closes on invalid JSON with bad request (3501)', async () => {
    const c = await connected()
    c.ws.send('{"id": 2, "subscribe": ')
    expect((await c.closed).code).toBe(3501)
  })

  it('closes on a command before connect with bad request (3501)', async () => {
    const c = await RawClient.open(gw.url)
    c.ws.send(JSON.stringify({ id: 1, subscribe: { channel: room } }))
    expect((await c.closed).code).toBe(3501)
  })

  it('answers an unknown method with method not found (104) and keeps the connection', async () => {
    const c = await connected()
    expect((await c.call({ id: 2, teleport: { to: 'mars' } })).error).toEqual({
      code: 104,
      message: 'method not found',
    })
    expect((await c.call({ id: 3, subscribe: { channel: room } })).subscribe.recoverable).toBe(true)
    c.ws.close()
  })

  it('closes an oversized frame with 1009 (message too big)', async () => {
    const c = await connected()
    c.ws.send(
      JSON.stringify({
        id: 2,
        publish: { channel: room, data: { type: 'typing.start', pad: 'x'.repeat(10_000) } },
      }),
    )
    expect((await c.closed).code).toBe(1009)
  })

  it("refuses a subscribe to another tenant's channel (103) and a malformed channel name (102)", async () => {
    const c = await connected()
    expect((await c.call({ id: 2, subscribe: { channel: `chat:${otherApp}:room` } })).error.code).toBe(103)
    expect((await c.call({ id: 3, subscribe: { channel: 'no-namespace' } })).error.code).toBe(102)
    expect((await c.call({ id: 4, subscribe: { channel: `user:${appId}:someone-else` } })).error.code).toBe(
      103,
    )
    c.ws.close()
  })

  it('refuses a publish to a forbidden channel or of a durable type (103)', async () => {
    const c = await connected()
    const forged = { type: 'message.new', text: 'not through the API' }
    expect((await c.call({ id: 2, publish: { channel: room, data: forged } })).error.code).toBe(103)
    const typing = { type: 'typing.start' }
    expect(
      (await c.call({ id: 3, publish: { channel: `chat:${otherApp}:room`, data: typing } })).error.code,
    ).toBe(103)
    expect(
      (await c.call({ id: 4, publish: { channel: `user:${appId}:mallory`, data: typing } })).error.code,
    ).toBe(103)
    c.ws.close()
  })

  it('closes a binary frame with bad request and an invalid token with 3500', async () => {
    const c = await connected()
    c.ws.send(Buffer.from([1, 2, 3]), { binary: true })
    expect((await c.closed).code).toBe(3501)
    const d = await RawClient.open(gw.url)
    d.ws.send(JSON.stringify({ id: 1, connect: { token: 'garbage' } }))
    expect((await d.closed).code).toBe(3500)
  })

  it('stays healthy: a well-behaved client still connects, subscribes and receives', async () => {
    const client = newClient(gw.url, { token })
    const sub = client.newSubscription(room)
    const got: unknown[] = []
    sub.on('publication', (p) => got.push(p.data))
    sub.subscribe()
    client.connect()
    await sub.ready(5000)
    await gw.gateway.publisher.publish({ channel: room, data: { ok: true } })
    await new Promise((r) => setTimeout(r, 100))
    expect(got).toEqual([{ ok: true }])
    client.disconnect()
    const res = await gw.app.inject({
      method: 'POST',
      url: '/api/info',
      headers: { authorization: 'apikey test-api-key' },
      payload: {},
    })
    expect(res.statusCode).toBe(200)
  })
})
