import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

/**
 * The writer decides who may send inside the statement that writes the batch. These scenarios mix
 * allowed and refused sends in one group commit and check each caller gets its own answer, that a
 * ban holds at once, and that one failing message does not take its batch down.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
let counter = 0

beforeAll(async () => {
  h = await startHarness('group-commit-checks')
  S = await seedApp(h.app, 'gcc', ['own', 'mem', 'non', 'bad'])
})
afterAll(async () => h?.close())

async function room(members = ['mem', 'bad']) {
  const id = `gcc-${++counter}`
  expect((await S.users.own!.post('/v1/channels', { type: 'messaging', id, members })).status).toBe(201)
  return id
}

async function seqsOf(channelId: string) {
  const rows = await sql<{ seq: number }>`
    select seq::int from messages where app_id = ${S.appId} and channel_id = ${channelId} order by seq`.execute(
    h.database.kysely,
  )
  return rows.rows.map((r) => r.seq)
}

async function eventsOf(channelId: string) {
  const rows = await sql<{ n: number }>`
    select count(*)::int as n from outbox where app_id = ${S.appId} and type = 'message.new' and channel = ${`chat:${S.appId}:${channelId}`}`.execute(
    h.database.kysely,
  )
  return rows.rows[0]!.n
}

const gapFree = (seqs: number[]) => expect(seqs).toEqual(Array.from({ length: seqs.length }, (_, i) => i + 1))

describe('sends checked inside the group commit', () => {
  it('members and non-members in one batch each get their own answer, seqs stay gap-free', async () => {
    const id = await room()
    const sends = await Promise.all([
      ...Array.from({ length: 10 }, (_, i) =>
        S.users.mem!.post(`/v1/channels/${id}/messages`, { text: `m${i}` }),
      ),
      ...Array.from({ length: 5 }, (_, i) =>
        S.users.non!.post(`/v1/channels/${id}/messages`, { text: `n${i}` }),
      ),
    ])
    expect(sends.slice(0, 10).map((r) => r.status)).toEqual(Array(10).fill(201))
    expect(sends.slice(10).map((r) => [r.status, r.body.code])).toEqual(
      Array(5).fill([404, 'channel_not_found']),
    )
    gapFree(await seqsOf(id))
    expect(await seqsOf(id)).toHaveLength(10)
    expect(await eventsOf(id)).toBe(10)
  })

  it('a ban holds for every send answered after the ban, even with sends in flight', async () => {
    const id = await room()
    let banned = false
    const afterBan: number[] = []
    let stop = false
    const sender = (async () => {
      for (let n = 0; !stop && n < 200; n++) {
        const startedAfterBan = banned
        const response = await S.users.bad!.post(`/v1/channels/${id}/messages`, { text: `b${n}` })
        if (startedAfterBan) afterBan.push(response.status)
      }
    })()
    const concurrent = Array.from({ length: 5 }, () =>
      S.users.mem!.post(`/v1/channels/${id}/messages`, { text: 'x' }),
    )
    expect((await S.server.post('/v1/moderation/bans', { userId: 'bad', channelId: id })).status).toBe(201)
    banned = true
    while (afterBan.length < 5) await new Promise((resolve) => setImmediate(resolve))
    stop = true
    await sender
    expect(new Set(afterBan)).toEqual(new Set([403]))
    expect((await Promise.all(concurrent)).map((r) => r.status)).toEqual(Array(5).fill(201))
    gapFree(await seqsOf(id))
  })

  it('slow mode lets exactly one of a burst through, and a repeat in the window gets the first message', async () => {
    const id = await room()
    expect((await S.users.own!.patch(`/v1/channels/${id}`, { slowModeSeconds: 60 })).status).toBe(200)
    const burst = await Promise.all(
      Array.from({ length: 6 }, (_, i) =>
        S.users.mem!.post(`/v1/channels/${id}/messages`, { text: `s${i}`, clientMessageId: `burst-${i}` }),
      ),
    )
    expect(burst.filter((r) => r.status === 201)).toHaveLength(1)
    expect(burst.filter((r) => r.status === 429).map((r) => r.body.code)).toEqual(Array(5).fill('slow_mode'))
    const first = burst.find((r) => r.status === 201)!
    const retry = await S.users.mem!.post(`/v1/channels/${id}/messages`, {
      text: first.body.message.text,
      clientMessageId: first.body.message.clientMessageId,
    })
    expect([retry.status, retry.body.message.id]).toEqual([200, first.body.message.id])
    // the owner moderates the channel: slow mode does not bind them
    const owner = await Promise.all(
      Array.from({ length: 3 }, () => S.users.own!.post(`/v1/channels/${id}/messages`, { text: 'o' })),
    )
    expect(owner.map((r) => r.status)).toEqual([201, 201, 201])
  })

  it('a backend posts for a non-member, not for a banned user, and as nobody only into open channels', async () => {
    const id = await room()
    expect((await S.server.post('/v1/moderation/bans', { userId: 'bad', channelId: id })).status).toBe(201)
    const [forNon, forBanned, asNobody] = await Promise.all([
      S.server.post(`/v1/channels/${id}/messages`, { text: 'for non', userId: 'non' }),
      S.server.post(`/v1/channels/${id}/messages`, { text: 'for bad', userId: 'bad' }),
      S.server.post(`/v1/channels/${id}/messages`, { text: 'system' }),
    ])
    expect(forNon.status).toBe(201)
    expect([forBanned.status, forBanned.body.code]).toEqual([403, 'user_banned'])
    expect([asNobody.status, asNobody.body.message.userId]).toEqual([201, null])
    expect((await S.users.own!.post(`/v1/channels/${id}/archive`)).status).toBe(200)
    const archived = await S.server.post(`/v1/channels/${id}/messages`, { text: 'late' })
    expect([archived.status, archived.body.code]).toEqual([403, 'channel_archived'])
  })

  it('a message PostgreSQL cannot store fails alone; the rest of its batch is written', async () => {
    const id = await room()
    const { writer } = h.app.chat.services.send
    const base = {
      appId: S.appId,
      channelId: id,
      userId: 'mem',
      mode: 'user' as const,
      parentId: null,
      quotedId: null,
      mentions: [],
      attachments: [],
      custom: {},
      clientMessageId: null,
    }
    // written straight to the writer: the API refuses U+0000 before it gets here (next test)
    const results = await Promise.allSettled(
      Array.from({ length: 20 }, (_, i) =>
        writer.write({ ...base, text: i === 7 ? 'bad\u0000text' : `w${i}` }),
      ),
    )
    expect(results.filter((r) => r.status === 'rejected')).toHaveLength(1)
    expect(results[7]!.status).toBe('rejected')
    const seqs = await seqsOf(id)
    expect(seqs).toHaveLength(19)
    gapFree(seqs)
    expect(await eventsOf(id)).toBe(19)
  })

  it('a NUL character is refused as bad input and nothing is stored', async () => {
    const id = await room()
    const inText = await S.users.mem!.post(`/v1/channels/${id}/messages`, { text: 'a\u0000b' })
    expect([inText.status, inText.body.code]).toEqual([400, 'invalid_character'])
    const inCustom = await S.users.mem!.post(`/v1/channels/${id}/messages`, {
      text: 'ok',
      custom: { k: ['\u0000'] },
    })
    expect([inCustom.status, inCustom.body.code]).toEqual([400, 'invalid_character'])
    // refused before any lookup, so a non-member learns nothing: the same answer for any channel id
    const nonMember = await S.users.non!.post(`/v1/channels/${id}/messages`, { text: 'a\u0000b' })
    const nowhere = await S.users.non!.post('/v1/channels/no-such-channel/messages', { text: 'a\u0000b' })
    expect([nonMember.status, nonMember.body.code]).toEqual([nowhere.status, nowhere.body.code])
    expect(await seqsOf(id)).toEqual([])
  })
})
