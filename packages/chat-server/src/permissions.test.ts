import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type client, type Harness, seedApp, startHarness } from './testing/harness.js'

/**
 * Permission matrix: the same actions by a non-member, a member, a moderator, the owner and a
 * member banned in the channel, against a fresh private channel each time (so destructive actions
 * do not disturb each other). A separate block covers blocked users.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
type Role = 'non' | 'member' | 'moderator' | 'owner' | 'banned'
const ROLES: Role[] = ['non', 'member', 'moderator', 'owner', 'banned']
const USER: Record<Role, string> = {
  non: 'nina',
  member: 'mem',
  moderator: 'mod',
  owner: 'olive',
  banned: 'bart',
}
let counter = 0

beforeAll(async () => {
  h = await startHarness('permissions')
  S = await seedApp(h.app, 'perm', ['nina', 'mem', 'mod', 'olive', 'bart', 'pat', 'blk'])
})
afterAll(async () => h?.close())

interface Room {
  id: string
  /** A message by pat (another member), with a poll. */
  message: string
  poll: string
  option: string
  flag: string
}

async function freshRoom(): Promise<Room> {
  const id = `room-${++counter}`
  const u = S.users
  expect(
    (await u.olive!.post('/v1/channels', { type: 'messaging', id, members: ['mem', 'mod', 'bart', 'pat'] }))
      .status,
  ).toBe(201)
  expect((await u.olive!.patch(`/v1/channels/${id}/members/mod`, { role: 'moderator' })).status).toBe(200)
  const message = (await u.pat!.post(`/v1/channels/${id}/messages`, { text: 'pat says hi' })).body.message.id
  const poll = (await u.pat!.post(`/v1/messages/${message}/poll`, { question: 'q', options: ['a', 'b'] }))
    .body.poll
  const flag = (await u.mem!.post(`/v1/messages/${message}/flags`, { reason: 'test' })).body.flag.id
  expect((await S.server.post('/v1/moderation/bans', { userId: 'bart', channelId: id })).status).toBe(201)
  return { id, message, poll: poll.id, option: poll.options[0].id, flag }
}

type Action = (as: ReturnType<ReturnType<typeof client>['user']>, room: Room) => Promise<{ status: number }>

const matrix: [string, Action, Record<Role, number>][] = [
  [
    'read channel',
    (as, r) => as.get(`/v1/channels/${r.id}`),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'list messages',
    (as, r) => as.get(`/v1/channels/${r.id}/messages`),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'send',
    (as, r) => as.post(`/v1/channels/${r.id}/messages`, { text: 'hi' }),
    { non: 404, member: 201, moderator: 201, owner: 201, banned: 403 },
  ],
  [
    'reply in thread',
    (as, r) => as.post(`/v1/channels/${r.id}/messages`, { text: 're', parentId: r.message }),
    { non: 404, member: 201, moderator: 201, owner: 201, banned: 403 },
  ],
  [
    "edit another's message",
    (as, r) => as.patch(`/v1/messages/${r.message}`, { text: 'x' }),
    { non: 404, member: 403, moderator: 403, owner: 403, banned: 403 },
  ],
  [
    "soft-delete another's message",
    (as, r) => as.delete(`/v1/messages/${r.message}`),
    { non: 404, member: 403, moderator: 204, owner: 204, banned: 403 },
  ],
  [
    'hard-delete a message',
    (as, r) => as.delete(`/v1/messages/${r.message}?hard=true`),
    { non: 404, member: 403, moderator: 204, owner: 204, banned: 403 },
  ],
  [
    'pin',
    (as, r) => as.post(`/v1/messages/${r.message}/pin`),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'react',
    (as, r) => as.post(`/v1/messages/${r.message}/reactions`, { type: 'like' }),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'invite',
    (as, r) => as.post(`/v1/channels/${r.id}/members`, { userIds: ['nina'] }),
    { non: 404, member: 403, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'remove a member',
    (as, r) => as.delete(`/v1/channels/${r.id}/members/pat`),
    { non: 404, member: 403, moderator: 204, owner: 204, banned: 403 },
  ],
  [
    'change a role',
    (as, r) => as.patch(`/v1/channels/${r.id}/members/pat`, { role: 'moderator' }),
    { non: 404, member: 403, moderator: 403, owner: 200, banned: 403 },
  ],
  [
    'rename',
    (as, r) => as.patch(`/v1/channels/${r.id}`, { name: 'new' }),
    { non: 404, member: 403, moderator: 403, owner: 200, banned: 403 },
  ],
  [
    'set slow mode',
    (as, r) => as.patch(`/v1/channels/${r.id}`, { slowModeSeconds: 10 }),
    { non: 404, member: 403, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'archive',
    (as, r) => as.post(`/v1/channels/${r.id}/archive`),
    { non: 404, member: 403, moderator: 403, owner: 200, banned: 403 },
  ],
  [
    'delete channel',
    (as, r) => as.delete(`/v1/channels/${r.id}`),
    { non: 404, member: 403, moderator: 403, owner: 204, banned: 403 },
  ],
  [
    'ban in channel',
    (as, r) => as.post('/v1/moderation/bans', { userId: 'pat', channelId: r.id }),
    { non: 404, member: 403, moderator: 201, owner: 201, banned: 403 },
  ],
  [
    'ban app-wide',
    (as) => as.post('/v1/moderation/bans', { userId: 'pat' }),
    { non: 403, member: 403, moderator: 403, owner: 403, banned: 403 },
  ],
  [
    'review a flag',
    (as, r) => as.post(`/v1/moderation/flags/${r.flag}/review`, { action: 'dismiss' }),
    { non: 404, member: 404, moderator: 200, owner: 200, banned: 404 },
  ],
  [
    'vote',
    (as, r) => as.post(`/v1/polls/${r.poll}/votes`, { optionIds: [r.option] }),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    "close another's poll",
    (as, r) => as.post(`/v1/polls/${r.poll}/close`),
    { non: 404, member: 403, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'mark read',
    (as, r) => as.post(`/v1/channels/${r.id}/read`, {}),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 200 },
  ],
  [
    'typing',
    (as, r) => as.post(`/v1/channels/${r.id}/typing`, { state: 'start' }),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'presign an upload',
    (as, r) =>
      as.post(`/v1/channels/${r.id}/uploads/presign`, {
        fileName: 'a.txt',
        contentType: 'text/plain',
        size: 3,
      }),
    { non: 404, member: 201, moderator: 201, owner: 201, banned: 403 },
  ],
  [
    'read receipts',
    (as, r) => as.get(`/v1/messages/${r.message}/seen-by`),
    { non: 404, member: 200, moderator: 200, owner: 200, banned: 403 },
  ],
  [
    'report a message',
    (as, r) => as.post(`/v1/messages/${r.message}/flags`, { reason: 'again' }),
    { non: 404, member: 409, moderator: 201, owner: 201, banned: 403 },
  ],
  [
    'join a private channel',
    (as, r) => as.post(`/v1/channels/${r.id}/join`),
    { non: 404, member: 404, moderator: 404, owner: 404, banned: 404 },
  ],
]

// every case builds its own room, so they may run side by side
describe.concurrent('permissions matrix', () => {
  for (const [name, action, expected] of matrix) {
    for (const role of ROLES) {
      it(`${name}: ${role} → ${expected[role]}`, async () => {
        const room = await freshRoom()
        const response = await action(S.users[USER[role]]!, room)
        expect(response.status, JSON.stringify((response as { body?: unknown }).body)).toBe(expected[role])
      })
    }
  }

  it('a banned user may not join a public channel, and the ban holds until it expires', async () => {
    await S.users.olive!.post('/v1/channels', { type: 'team', id: 'public-1', members: [] })
    await S.server.post('/v1/moderation/bans', {
      userId: 'nina',
      channelId: 'public-1',
      durationSeconds: 3600,
    })
    expect((await S.users.nina!.post('/v1/channels/public-1/join')).status).toBe(403)
    await S.server.delete('/v1/moderation/bans?userId=nina&channelId=public-1')
    expect((await S.users.nina!.post('/v1/channels/public-1/join')).status).toBe(200)
    // an expired ban no longer binds
    await h.database.kysely
      .insertInto('bans')
      .values({
        app_id: S.appId,
        user_id: 'nina',
        channel_id: 'public-1',
        kind: 'ban',
        expires_at: new Date(Date.now() - 1000),
      })
      .execute()
    expect((await S.users.nina!.post('/v1/channels/public-1/messages', { text: 'back' })).status).toBe(201)
  })

  it('a muted user reads but cannot send', async () => {
    const room = await freshRoom()
    await S.users.mod!.post('/v1/moderation/bans', { userId: 'mem', channelId: room.id, kind: 'mute' })
    expect((await S.users.mem!.get(`/v1/channels/${room.id}/messages`)).status).toBe(200)
    const refused = await S.users.mem!.post(`/v1/channels/${room.id}/messages`, { text: 'hi' })
    expect([refused.status, refused.body.code]).toEqual([403, 'user_muted'])
  })

  it('slow mode refuses a second message within the window, but not from moderators', async () => {
    const room = await freshRoom()
    await S.users.mod!.patch(`/v1/channels/${room.id}`, { slowModeSeconds: 60 })
    expect((await S.users.mem!.post(`/v1/channels/${room.id}/messages`, { text: '1' })).status).toBe(201)
    const second = await S.users.mem!.post(`/v1/channels/${room.id}/messages`, { text: '2' })
    expect([second.status, second.body.code]).toEqual([429, 'slow_mode'])
    expect((await S.users.mod!.post(`/v1/channels/${room.id}/messages`, { text: '1' })).status).toBe(201)
    expect((await S.users.mod!.post(`/v1/channels/${room.id}/messages`, { text: '2' })).status).toBe(201)
  })

  it('an archived channel is read-only for everyone', async () => {
    const room = await freshRoom()
    await S.users.olive!.post(`/v1/channels/${room.id}/archive`)
    expect((await S.users.olive!.post(`/v1/channels/${room.id}/messages`, { text: 'x' })).status).toBe(403)
    expect((await S.users.mem!.get(`/v1/channels/${room.id}/messages`)).status).toBe(200)
  })
})

describe('blocked users', () => {
  it("hides a blocked user's messages, refuses their DMs and hides them from search", async () => {
    const { olive, blk } = S.users
    const dm = await olive!.post('/v1/channels', { type: 'direct', members: ['blk'] })
    expect(dm.status).toBe(201)
    await olive!.post('/v1/channels', { type: 'group', id: 'grp', members: ['blk', 'pat'] })
    await blk!.post('/v1/channels/grp/messages', { text: 'blkword before the block' })
    expect((await olive!.put('/v1/me/blocks/blk')).status).toBe(200)
    const refused = await blk!.post(`/v1/channels/${dm.body.channel.id}/messages`, { text: 'hello?' })
    expect([refused.status, refused.body.code]).toEqual([403, 'blocked'])
    await blk!.post('/v1/channels/grp/messages', { text: 'blkword after the block' })
    const seenByOlive = await olive!.get('/v1/channels/grp/messages')
    expect(seenByOlive.body.messages.filter((m: any) => m.userId === 'blk')).toEqual([])
    const seenByPat = await S.users.pat!.get('/v1/channels/grp/messages')
    expect(seenByPat.body.messages.filter((m: any) => m.userId === 'blk')).toHaveLength(2)
    expect((await olive!.get('/v1/search/messages?q=blkword')).body.results).toEqual([])
    // a new direct channel with the blocker is refused too
    await h.database.kysely
      .deleteFrom('channels')
      .where('app_id', '=', S.appId)
      .where('id', '=', dm.body.channel.id)
      .execute()
    expect((await blk!.post('/v1/channels', { type: 'direct', members: ['olive'] })).status).toBe(403)
    expect((await olive!.delete('/v1/me/blocks/blk')).status).toBe(204)
    expect(
      (await olive!.get('/v1/channels/grp/messages')).body.messages.filter((m: any) => m.userId === 'blk'),
    ).toHaveLength(2)
  })
})
