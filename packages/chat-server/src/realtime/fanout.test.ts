import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { WebSocket } from 'ws'
import { MemoryBroker } from './broker/memory.js'
import {
  FakeMembership,
  newAppId,
  newClient,
  signToken,
  startTestGateway,
  type TestGateway,
  waitFor,
} from './test-support.js'

const turn = () => new Promise((r) => setImmediate(r))

describe('fan-out of shared frames', () => {
  const appId = newAppId()
  const room = `chat:${appId}:room`
  let gw: TestGateway

  beforeAll(async () => {
    // Memory broker on purpose: what arrives in one event-loop turn must be deterministic here.
    // The write path under test is the same for every broker.
    gw = await startTestGateway({
      authorizer: new FakeMembership().add(room, 'raw', 'sdk'),
      broker: new MemoryBroker(),
    })
  })
  afterAll(() => gw.close())

  it('delivers pushes of every frame-length class intact, alone per turn and coalesced in one turn', async () => {
    // A strict reader (ws validates opcode, lengths and UTF-8) and the real centrifuge client.
    const ws = new WebSocket(gw.url)
    const frames: string[] = []
    ws.on('message', (data, isBinary) => {
      expect(isBinary).toBe(false)
      frames.push(String(data))
    })
    await new Promise((resolve) => ws.once('open', resolve))
    ws.send(
      `{"id":1,"connect":{"token":"${await signToken({ appId, userId: 'raw' })}"}}\n{"id":2,"subscribe":{"channel":"${room}"}}`,
    )
    await waitFor(() => frames.some((f) => f.includes('"id":2')), 10_000, 'subscribe reply')

    const client = newClient(gw.url, { token: await signToken({ appId, userId: 'sdk' }) })
    const sub = client.newSubscription(room)
    const got: { offset?: number; text: string }[] = []
    sub.on('publication', (ctx) =>
      got.push({ offset: ctx.offset, text: (ctx.data as { text: string }).text }),
    )
    const subscribed = new Promise((resolve) => sub.once('subscribed', resolve))
    sub.subscribe()
    client.connect()
    await subscribed

    // 7-bit, 16-bit and 64-bit payload lengths; multi-byte UTF-8 to catch byte/char mix-ups.
    const texts = ['hi', 'é'.repeat(150), 'x'.repeat(70_000), 'ü'.repeat(40), 'b', 'c']
    const before = frames.length
    for (const text of texts.slice(0, 3)) {
      await gw.gateway.publisher.publish({ channel: room, data: { text } })
      await turn()
    }
    // Three in one turn: one frame of three lines.
    await Promise.all(
      texts.slice(3).map((text) => gw.gateway.publisher.publish({ channel: room, data: { text } })),
    )
    await waitFor(() => got.length === texts.length, 10_000, 'centrifuge client publications')
    await waitFor(() => frames.length >= before + 4, 10_000, 'raw frames')

    expect(got.map((g) => g.text)).toEqual(texts)
    const offsets = got.map((g) => g.offset as number)
    expect(offsets).toEqual(offsets.map((_, i) => (offsets[0] as number) + i))

    const pushes = frames.slice(before)
    expect(pushes).toHaveLength(4)
    const lines = pushes.map((f) => f.split('\n').map((l) => JSON.parse(l)))
    expect(lines.map((l) => l.length)).toEqual([1, 1, 1, 3])
    expect(lines.flat().map((l) => l.push.pub.data.text)).toEqual(texts)
    expect(lines.flat().every((l) => l.push.channel === room)).toBe(true)

    ws.close()
    client.disconnect()
  })
})
