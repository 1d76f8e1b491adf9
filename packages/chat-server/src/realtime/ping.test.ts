import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { FakeMembership, newAppId, signToken, startTestGateway, type TestGateway } from './test-support.js'

describe('server pings', () => {
  const appId = newAppId()
  let gw: TestGateway
  beforeAll(async () => {
    gw = await startTestGateway({ authorizer: new FakeMembership(), pingIntervalMs: 1000 })
  })
  afterAll(() => gw.close())

  const open = async (answerPings: boolean) => {
    const token = await signToken({ appId, userId: 'pinger' })
    const ws = new WebSocket(gw.url)
    const pings: number[] = []
    ws.on('message', (data) => {
      for (const line of String(data).split('\n')) {
        if (line !== '{}') continue
        pings.push(Date.now())
        if (answerPings) ws.send('{}')
      }
    })
    const closed = new Promise<number>((resolve) => ws.on('close', (code) => resolve(code)))
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(JSON.stringify({ id: 1, connect: { token } }))
    return { ws, pings, closed }
  }

  it('closes a connection that does not answer a ping with 3012 (no pong), keeps one that does', async () => {
    const silent = await open(false)
    const polite = await open(true)
    expect(await silent.closed).toBe(3012)
    expect(silent.pings.length).toBeGreaterThanOrEqual(1)
    // The polite one answered the same pings and is still open.
    expect(polite.pings.length).toBeGreaterThanOrEqual(1)
    expect(polite.ws.readyState).toBe(WebSocket.OPEN)
    polite.ws.close()
  })
})
