/**
 * WebSocket frame fuzzing of the gateway: generated sequences of frames (well-formed commands with
 * wrong, missing, huge or odd fields; broken JSON; binary frames; several commands per frame)
 * sent after a valid connect. The properties: the gateway never logs an internal error, every
 * close uses a protocol code (Centrifugo's 3xxx, or 1009 for an oversized frame), and the node
 * still serves a fresh client afterwards.
 */
import fc from 'fast-check'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  FakeMembership,
  newAppId,
  RawClient,
  signToken,
  startTestGateway,
  type TestGateway,
  waitFor,
} from '../realtime/test-support.js'
import { nastyString } from './schema-arbitrary.js'

const RUNS = Number(process.env.FUZZ_RUNS ?? 4) * 10

describe('WebSocket frame fuzzing', () => {
  const appId = newAppId()
  const room = `chat:${appId}:room`
  const internalErrors: unknown[] = []
  let gw: TestGateway

  beforeAll(async () => {
    gw = await startTestGateway({
      authorizer: new FakeMembership().add(room, 'fuzzer'),
      maxFrameBytes: 16 * 1024,
      logger: { info() {}, warn() {}, error: (obj) => internalErrors.push(obj) },
    })
  })
  afterAll(() => gw.close())

  const channel = fc.oneof(
    fc.constantFrom(
      room,
      `chat:${appId}:other`,
      `user:${appId}:fuzzer`,
      `chat:${newAppId()}:room`,
      'chat::',
      '',
    ),
    nastyString,
  )
  const field = fc.oneof(channel, fc.integer(), fc.double(), fc.boolean(), fc.constant(null), fc.object())
  const methods = [
    'connect',
    'subscribe',
    'unsubscribe',
    'publish',
    'presence',
    'presence_stats',
    'history',
    'refresh',
    'sub_refresh',
    'ping',
    'rpc',
    'send',
    'nonsense',
  ] as const
  const command = fc
    .record(
      {
        id: fc.oneof(
          fc.integer({ min: 1, max: 1_000_000 }),
          fc.constant(0),
          fc.integer({ min: -5, max: 0 }),
          fc.double(),
          nastyString,
        ),
        method: fc.constantFrom(...methods),
        channel,
        extra: fc.dictionary(
          fc.constantFrom(
            'token',
            'offset',
            'epoch',
            'recover',
            'limit',
            'since',
            'reverse',
            'data',
            'join_leave',
          ),
          field,
        ),
      },
      { requiredKeys: ['method'] },
    )
    .map(({ id, method, channel, extra }) => ({ id, [method]: { channel, ...extra } }))
  const frame = fc.oneof(
    {
      weight: 6,
      arbitrary: fc
        .array(command, { minLength: 1, maxLength: 4 })
        .map((cmds) => cmds.map((c) => JSON.stringify(c)).join('\n')),
    },
    { weight: 1, arbitrary: nastyString },
    { weight: 1, arbitrary: fc.constant('{"id": 1, "subscribe": ') },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)) },
    { weight: 1, arbitrary: fc.constant('x'.repeat(20 * 1024)) },
  )

  it('keeps the gateway healthy whatever a connected client sends', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(frame, { minLength: 1, maxLength: 8 }), async (frames) => {
        const socket = await RawClient.open(gw.url)
        const connected = await socket.call({
          id: 1,
          connect: { token: await signToken({ appId, userId: 'fuzzer' }) },
        })
        expect(connected.connect).toBeDefined()
        let closed: { code: number } | undefined
        socket.closed.then((c) => {
          closed = c
        })
        for (const data of frames) {
          if (socket.ws.readyState !== 1) break
          socket.ws.send(data, { binary: Buffer.isBuffer(data) })
        }
        // a ping after the burst: answered (the session is alive) or the socket was closed properly
        if (socket.ws.readyState === 1) socket.ws.send(JSON.stringify({ id: 999_999_999, ping: {} }))
        await waitFor(
          () => closed !== undefined || socket.replies.some((r) => r.id === 999_999_999),
          10_000,
          'ping or close',
        )
        if (closed)
          expect(
            closed.code === 1009 || (closed.code >= 3000 && closed.code < 5000),
            `close ${closed.code}`,
          ).toBe(true)
        socket.ws.terminate()
        expect(internalErrors).toEqual([])
      }),
      { numRuns: RUNS },
    )
    const fresh = await RawClient.open(gw.url)
    const reply = await fresh.call({ id: 1, connect: { token: await signToken({ appId, userId: 'after' }) } })
    expect(reply.connect).toBeDefined()
    fresh.ws.terminate()
  }, 300_000)
})
