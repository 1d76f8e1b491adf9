/**
 * Moderation that holds everywhere. A mute silences every action other members see (send, edit,
 * pin, react, polls, votes, typing, uploads), not only sends. A block cannot be bypassed through a
 * group channel, and a blocked user's mentions and messages do not reach the blocker's mentions
 * and unread counts.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

describe('mute and block hold everywhere', () => {
  let h: Harness
  let S: Awaited<ReturnType<typeof seedApp>>

  beforeAll(async () => {
    h = await startHarness('mute_block')
    S = await seedApp(h.app, 'moderation', ['owner', 'muted', 'blocker', 'blocked', 'third'])
    const room = await S.users.owner!.post('/v1/channels', {
      type: 'messaging',
      id: 'room',
      members: ['muted'],
    })
    expect(room.status).toBe(201)
  }, 60_000)
  afterAll(async () => h?.close())

  it('a muted member can neither edit, pin, react, create a poll, vote, type nor upload', async () => {
    const muted = S.users.muted!
    const own = (await muted.post('/v1/channels/room/messages', { text: 'before the mute' })).body.message.id
    const ownerMessage = (await S.users.owner!.post('/v1/channels/room/messages', { text: 'vote here' })).body
      .message.id
    const poll = (
      await S.users.owner!.post(`/v1/messages/${ownerMessage}/poll`, { question: 'q', options: ['a', 'b'] })
    ).body.poll
    expect(
      (await S.users.owner!.post('/v1/moderation/bans', { userId: 'muted', channelId: 'room', kind: 'mute' }))
        .status,
    ).toBe(201)

    const attempts = {
      send: () => muted.post('/v1/channels/room/messages', { text: 'hi' }),
      edit: () => muted.patch(`/v1/messages/${own}`, { text: 'edited while muted' }),
      pin: () => muted.post(`/v1/messages/${own}/pin`),
      react: () => muted.post(`/v1/messages/${ownerMessage}/reactions`, { type: 'like' }),
      poll: () => muted.post(`/v1/messages/${own}/poll`, { question: 'q', options: ['a', 'b'] }),
      vote: () => muted.post(`/v1/polls/${poll.id}/votes`, { optionIds: [poll.options[0].id] }),
      typing: () => muted.post('/v1/channels/room/typing', { state: 'start' }),
      upload: () =>
        muted.post('/v1/channels/room/uploads/presign', {
          fileName: 'a.txt',
          contentType: 'text/plain',
          size: 3,
        }),
    }
    for (const [action, attempt] of Object.entries(attempts)) {
      const res = await attempt()
      expect([action, res.status, res.body?.code]).toEqual([action, 403, 'user_muted'])
    }
    // reading, marking read and deleting one's own message stay allowed
    expect((await muted.get('/v1/channels/room/messages')).status).toBe(200)
    expect((await muted.post('/v1/channels/room/read', {})).status).toBe(200)
    expect((await muted.delete(`/v1/messages/${own}`)).status).toBe(204)
    const stored = (await S.users.owner!.get('/v1/channels/room/messages')).body.messages
    expect(JSON.stringify(stored)).not.toContain('edited while muted')
  })

  it('a blocked user cannot pull the blocker into a group channel, at creation or later', async () => {
    expect((await S.users.blocker!.put('/v1/me/blocks/blocked')).status).toBe(200)
    const created = await S.users.blocked!.post('/v1/channels', {
      type: 'group',
      members: ['blocker', 'third'],
    })
    expect([created.status, created.body.code]).toEqual([403, 'blocked'])
    const group = await S.users.blocked!.post('/v1/channels', { type: 'group', id: 'g', members: ['third'] })
    expect(group.status).toBe(201)
    const invite = await S.users.blocked!.post('/v1/channels/g/members', { userIds: ['blocker'] })
    expect([invite.status, invite.body.code]).toEqual([403, 'blocked'])
    const channels = (await S.users.blocker!.get('/v1/channels')).body.channels.map(
      (c: { id: string }) => c.id,
    )
    expect(channels).not.toContain('g')
  })

  it("a blocked user's mentions and messages reach neither the blocker's mentions nor unread counts", async () => {
    // a channel both are in, made by someone else (a block does not remove anyone)
    const shared = await S.users.third!.post('/v1/channels', {
      type: 'messaging',
      id: 'shared',
      members: ['blocker', 'blocked'],
    })
    expect(shared.status).toBe(201)
    const sent = await S.users.blocked!.post('/v1/channels/shared/messages', {
      text: 'hey @blocker',
      mentions: ['blocker'],
    })
    expect(sent.status).toBe(201)
    const mentions = (await S.users.blocker!.get('/v1/me/mentions')).body.messages
    expect(mentions.map((m: { id: string }) => m.id)).not.toContain(sent.body.message.id)
    const unread = (await S.users.blocker!.get('/v1/me/unread')).body
    expect(unread.channels.find((c: { channelId: string }) => c.channelId === 'shared')?.unreadCount).toBe(0)
    const listed = (await S.users.blocker!.get('/v1/channels')).body.channels
    expect(listed.find((c: { id: string }) => c.id === 'shared')?.unreadCount).toBe(0)
    // the third member still sees it
    expect((await S.users.third!.get('/v1/me/unread')).body.totalUnreadCount).toBeGreaterThan(0)
  })
})
