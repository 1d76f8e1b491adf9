import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import {
  FakeMembership,
  newAppId,
  signToken,
  startTestGateway,
  type TestGateway,
  waitFor,
} from './test-support.js'

describe('backpressure', () => {
  const appId = newAppId()
  const room = `chat:${appId}:room`
  let gw: TestGateway

  beforeAll(async () => {
    gw = await startTestGateway({
      authorizer: new FakeMembership().add(room, 'slow'),
      maxBufferedBytes: 256 * 1024,
    })
  })
  afterAll(() => gw.close())

  it('closes a reader that stops reading with 3008 (slow) once its send buffer passes the bound', async () => {
    const ws = new WebSocket(gw.url)
    const token = await signToken({ appId, userId: 'slow' })
    let subscribed = false
    ws.on('message', (data) => {
      if (String(data).includes('"id":2')) subscribed = true
    })
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(`{"id":1,"connect":{"token":"${token}"}}\n{"id":2,"subscribe":{"channel":"${room}"}}`)
    await waitFor(() => subscribed)
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    // Stop reading: the kernel buffers fill, then the gateway's own send buffer grows.
    ;(ws as unknown as { _socket: { pause(): void; resume(): void } })._socket.pause()
    const big = 'x'.repeat(16 * 1024)
    let published = 0
    while (gw.gateway.connectionCount() > 0 && published < 5000) {
      await gw.gateway.publisher.publish({ channel: room, data: { big } })
      published++
      if (published % 50 === 0) await new Promise((r) => setImmediate(r))
    }
    expect(gw.gateway.connectionCount()).toBe(0)
    ;(ws as unknown as { _socket: { resume(): void } })._socket.resume()
    expect(await closed).toBe(3008)
    const metrics = await gw.gateway.metrics.registry.getSingleMetricAsString('realtime_disconnects_total')
    expect(metrics).toContain('code="3008"')
  })
})
