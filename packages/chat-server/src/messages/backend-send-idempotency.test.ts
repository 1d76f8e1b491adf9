/**
 * Sends are idempotent by clientMessageId for backends too: a backend posting as nobody has no
 * user id, and the unique index used to let NULLs through, so the same send twice made two
 * messages.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

describe('backend sends are idempotent', () => {
  let h: Harness
  let S: Awaited<ReturnType<typeof seedApp>>

  beforeAll(async () => {
    h = await startHarness('backend_idempotency')
    S = await seedApp(h.app, 'idem', ['alice'])
    expect(
      (await S.users.alice!.post('/v1/channels', { type: 'messaging', id: 'room', members: [] })).status,
    ).toBe(201)
  }, 60_000)
  afterAll(async () => h?.close())

  const count = async () => (await S.server.get('/v1/channels/room/messages')).body.messages.length

  it('the same X-API-Key send twice makes one message, answered 200 the second time', async () => {
    const first = await S.server.post('/v1/channels/room/messages', {
      text: 'system notice',
      clientMessageId: 'sys-1',
    })
    const again = await S.server.post('/v1/channels/room/messages', {
      text: 'system notice',
      clientMessageId: 'sys-1',
    })
    expect(first.status).toBe(201)
    expect(again.status).toBe(200)
    expect(again.body.message.id).toBe(first.body.message.id)
    expect(await count()).toBe(1)
  })

  it('concurrent repeats of one backend send still make one message', async () => {
    const sends = await Promise.all(
      Array.from({ length: 8 }, () =>
        S.server.post('/v1/channels/room/messages', { text: 'burst', clientMessageId: 'sys-2' }),
      ),
    )
    expect(new Set(sends.map((s) => s.body.message.id)).size).toBe(1)
    expect(sends.filter((s) => s.status === 201)).toHaveLength(1)
    expect(await count()).toBe(2)
  })

  it('a user and a backend may use the same clientMessageId independently', async () => {
    const user = await S.users.alice!.post('/v1/channels/room/messages', {
      text: 'mine',
      clientMessageId: 'sys-1',
    })
    expect(user.status).toBe(201)
    expect(await count()).toBe(3)
  })
})
