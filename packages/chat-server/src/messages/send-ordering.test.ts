import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

/** Concurrent sends: contiguous per-channel seqs, one outbox event per message, idempotent repeats. */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
const senders = ['s0', 's1', 's2', 's3', 's4', 's5']
const channels = ['c0', 'c1', 'c2', 'c3']

beforeAll(async () => {
  h = await startHarness('ordering')
  S = await seedApp(h.app, 'ordering', senders)
  for (const id of channels)
    await S.users.s0!.post('/v1/channels', { type: 'messaging', id, members: senders })
})
afterAll(async () => h?.close())

describe('send ordering', () => {
  it('gives every channel gap-free seqs and writes exactly one ordered outbox event per message', async () => {
    const perSender = 15
    await Promise.all(
      senders.map(async (sender, s) => {
        await Promise.all(
          Array.from({ length: perSender }, (_, n) =>
            S.users[sender]!.post(`/v1/channels/${channels[(s + n) % channels.length]}/messages`, {
              text: `${sender}-${n}`,
              clientMessageId: `${sender}-${n}`,
            }),
          ),
        )
      }),
    )
    const rows = await sql<{ channel_id: string; seqs: number[]; n: number }>`
      select channel_id, array_agg(seq::int order by seq) as seqs, count(*)::int as n from messages
      where app_id = ${S.appId} group by channel_id order by channel_id`.execute(h.database.kysely)
    expect(rows.rows.reduce((sum, r) => sum + r.n, 0)).toBe(senders.length * perSender)
    for (const row of rows.rows) expect(row.seqs).toEqual(Array.from({ length: row.n }, (_, i) => i + 1))
    const events = await sql<{ channel: string; seqs: number[] }>`
      select channel, array_agg(seq::int order by id) as seqs from outbox
      where app_id = ${S.appId} and type = 'message.new' group by channel order by channel`.execute(
      h.database.kysely,
    )
    for (const event of events.rows) {
      const channelId = event.channel.split(':')[2]
      const row = rows.rows.find((r) => r.channel_id === channelId)!
      // outbox ids follow commit order, and seqs are allocated in that same order per channel
      expect(event.seqs).toEqual(row.seqs)
    }
  })

  it('answers concurrent repeats of one clientMessageId with a single message', async () => {
    const attempts = await Promise.all(
      Array.from({ length: 8 }, () =>
        S.users.s1!.post('/v1/channels/c0/messages', { text: 'only once', clientMessageId: 'dup-1' }),
      ),
    )
    const ids = new Set(attempts.map((a) => a.body.message.id))
    expect(ids.size).toBe(1)
    expect(attempts.filter((a) => a.status === 201)).toHaveLength(1)
    const count = await sql<{
      n: number
    }>`select count(*)::int as n from messages where app_id = ${S.appId} and client_message_id = 'dup-1'`.execute(
      h.database.kysely,
    )
    expect(count.rows[0]!.n).toBe(1)
    const seqs = await sql<{
      seqs: number[]
    }>`select array_agg(seq::int order by seq) as seqs from messages where app_id = ${S.appId} and channel_id = 'c0'`.execute(
      h.database.kysely,
    )
    const list = seqs.rows[0]!.seqs
    expect(list).toEqual(Array.from({ length: list.length }, (_, i) => i + 1))
  })

  it('pages by seq: before, after and around', async () => {
    await S.users.s0!.post('/v1/channels', { type: 'messaging', id: 'paging', members: ['s1'] })
    for (let i = 1; i <= 10; i++) await S.users.s0!.post('/v1/channels/paging/messages', { text: `m${i}` })
    const seqsOf = (r: any) => r.body.messages.map((m: any) => m.seq)
    expect(seqsOf(await S.users.s1!.get('/v1/channels/paging/messages?limit=3'))).toEqual([8, 9, 10])
    expect(seqsOf(await S.users.s1!.get('/v1/channels/paging/messages?limit=3&before=8'))).toEqual([5, 6, 7])
    expect(seqsOf(await S.users.s1!.get('/v1/channels/paging/messages?limit=3&after=2'))).toEqual([3, 4, 5])
    expect(seqsOf(await S.users.s1!.get('/v1/channels/paging/messages?limit=4&around=5'))).toEqual([
      3, 4, 5, 6,
    ])
  })
})
