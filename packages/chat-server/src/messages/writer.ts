import { type Kysely, sql } from 'kysely'
import { uuidv7 } from '../shared/ids.js'
import { notFound } from '../shared/problems.js'
import { chatChannelName } from '../shared/realtime-names.js'
import { toMessage } from './serialize.js'

/** A message that passed every check and only needs its seq and its row. */
export interface NewMessage {
  appId: string
  channelId: string
  userId: string | null
  text: string
  parentId: string | null
  quotedId: string | null
  mentions: string[]
  attachments: unknown[]
  custom: Record<string, unknown>
  clientMessageId: string | null
  /** Record the send time for the channel's slow mode. */
  trackSlowMode: boolean
}

export interface WriteResult {
  row: any
  /** True when clientMessageId had been used before: row is the first message, nothing was written. */
  repeat: boolean
}

interface Pending {
  message: NewMessage
  resolve: (result: WriteResult) => void
  reject: (error: unknown) => void
}

const MAX_BATCH = 256

/**
 * Group commit for message sends. Sends queue per lane (channels are hashed onto lanes, so two
 * lanes never lock the same channel row and cannot deadlock); each lane writes whatever queued up
 * while its previous transaction ran as ONE transaction: seq allocation for all its channels in one
 * UPDATE, one multi-row INSERT of messages, one of outbox rows. Under light load a batch is one
 * message and nothing waits; under heavy load the commit cost is shared.
 */
export class MessageWriter {
  private readonly lanes: { queue: Pending[]; running: boolean }[]

  constructor(
    private readonly db: Kysely<any>,
    laneCount = 4,
  ) {
    this.lanes = Array.from({ length: laneCount }, () => ({ queue: [], running: false }))
  }

  /** Resolves with the stored row, or with the existing row when clientMessageId was already used. */
  write(message: NewMessage): Promise<WriteResult> {
    return new Promise((resolve, reject) => {
      const lane = this.lanes[hash(`${message.appId}:${message.channelId}`) % this.lanes.length]!
      lane.queue.push({ message, resolve, reject })
      if (!lane.running) void this.drain(lane)
    })
  }

  private async drain(lane: { queue: Pending[]; running: boolean }) {
    lane.running = true
    try {
      while (lane.queue.length > 0) {
        const batch = lane.queue.splice(0, MAX_BATCH)
        await this.writeBatch(batch)
      }
    } finally {
      lane.running = false
    }
  }

  private async writeBatch(batch: Pending[]) {
    try {
      const rows = await writeMessages(
        this.db,
        batch.map((item) => item.message),
      )
      batch.forEach((item, i) => {
        const row = rows[i]
        if (row) item.resolve({ row, repeat: false })
        else item.reject(notFound('channel'))
      })
    } catch (error) {
      if (batch.length > 1) {
        // One bad row (a repeated clientMessageId racing, a deleted parent) must not fail the others.
        for (const item of batch) await this.writeBatch([item])
        return
      }
      const item = batch[0]!
      if ((error as { code?: string }).code === '23505' && item.message.clientMessageId) {
        try {
          item.resolve({ row: await findByClientId(this.db, item.message), repeat: true })
        } catch (lookupError) {
          item.reject(lookupError)
        }
        return
      }
      item.reject(error)
    }
  }
}

/**
 * Writes a batch in ONE statement (so one round trip, atomic without BEGIN/COMMIT): allocate seqs
 * per channel, insert the messages, bump thread parents, record slow-mode send times and insert
 * the outbox events. The event payloads are built here with the message as the API shows it; SQL
 * only fills in the seq (and a reply's thread counters). result[i] is the row of messages[i], or
 * undefined when its channel is gone.
 */
export async function writeMessages(db: Kysely<any>, messages: NewMessage[]): Promise<(any | undefined)[]> {
  const ordinal = new Map<string, number>()
  const now = new Date()
  const input = messages.map((m) => {
    const key = `${m.appId}|${m.channelId}`
    const ord = (ordinal.get(key) ?? 0) + 1
    ordinal.set(key, ord)
    const id = uuidv7()
    const message = toMessage({
      app_id: m.appId,
      id,
      channel_id: m.channelId,
      seq: 0,
      user_id: m.userId,
      text: m.text,
      type: m.parentId ? 'reply' : 'regular',
      parent_id: m.parentId,
      quoted_id: m.quotedId,
      mentions: m.mentions,
      attachments: m.attachments,
      custom: m.custom,
      client_message_id: m.clientMessageId,
      reply_count: 0,
      thread_participants: [],
      created_at: now,
      updated_at: now,
    })
    return {
      app_id: m.appId,
      channel_id: m.channelId,
      id,
      user_id: m.userId,
      text: m.text,
      parent_id: m.parentId,
      quoted_id: m.quotedId,
      mentions: m.mentions,
      attachments: m.attachments,
      custom: m.custom,
      client_message_id: m.clientMessageId,
      ord,
      slow: m.trackSlowMode && m.userId !== null,
      event_id: uuidv7(),
      channel: chatChannelName(m.appId, m.channelId),
      payload: m.parentId ? { message, parentId: m.parentId } : { message },
    }
  })
  const { rows } = await sql<any>`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as t(
        app_id uuid, channel_id text, id uuid, user_id text, text text, parent_id uuid, quoted_id uuid,
        mentions jsonb, attachments jsonb, custom jsonb, client_message_id text, ord int, slow boolean,
        event_id uuid, channel text, payload jsonb)
    ),
    counts as (select app_id, channel_id, count(*)::int as n from input group by app_id, channel_id),
    alloc as (
      update channels c set last_seq = c.last_seq + counts.n, last_message_at = ${now}
      from counts where c.app_id = counts.app_id and c.id = counts.channel_id
      returning c.app_id, c.id, c.last_seq - counts.n as base
    ),
    ins as (
      insert into messages (app_id, id, channel_id, seq, user_id, text, type, parent_id, quoted_id, mentions,
                            attachments, custom, client_message_id, created_at, updated_at)
      select i.app_id, i.id, i.channel_id, a.base + i.ord, i.user_id, i.text,
             case when i.parent_id is null then 'regular' else 'reply' end, i.parent_id, i.quoted_id,
             array(select jsonb_array_elements_text(i.mentions)), i.attachments, i.custom, i.client_message_id,
             ${now}, ${now}
      from input i join alloc a on a.app_id = i.app_id and a.id = i.channel_id
      returning *
    ),
    replies as (
      select app_id, parent_id, count(*)::int as n, array_agg(user_id order by seq) filter (where user_id is not null) as users
      from ins where parent_id is not null group by app_id, parent_id
    ),
    threads as (
      update messages p set reply_count = p.reply_count + r.n, updated_at = ${now},
        thread_participants = p.thread_participants || array(
          select u from unnest(coalesce(r.users, '{}')) with ordinality as x(u, o)
          where u <> all(p.thread_participants) group by u order by min(o))
      from replies r where p.app_id = r.app_id and p.id = r.parent_id
      returning p.app_id, p.id, p.reply_count, p.thread_participants
    ),
    slow as (
      update members m set last_sent_at = ${now}
      from input i where i.slow and m.app_id = i.app_id and m.channel_id = i.channel_id and m.user_id = i.user_id
      returning 1
    ),
    events as (
      insert into outbox (event_id, app_id, channel, type, payload, seq)
      select i.event_id, s.app_id, i.channel, case when s.parent_id is null then 'message.new' else 'thread.reply' end,
             case when s.parent_id is null then jsonb_set(i.payload, '{message,seq}', to_jsonb(s.seq))
                  else jsonb_set(jsonb_set(jsonb_set(i.payload, '{message,seq}', to_jsonb(s.seq)),
                         '{replyCount}', to_jsonb(coalesce(t.reply_count, 0))),
                         '{threadParticipants}', to_jsonb(coalesce(t.thread_participants, '{}')))
             end,
             s.seq
      from ins s join input i on i.id = s.id
      left join threads t on t.app_id = s.app_id and t.id = s.parent_id
      order by s.seq
      returning 1
    )
    select ins.*, (select count(*) from slow) as slow_updates, (select count(*) from events) as events from ins`.execute(
    db,
  )
  const byId = new Map(rows.map((row) => [row.id as string, row]))
  return input.map((item) => byId.get(item.id))
}

async function findByClientId(db: Kysely<any>, message: NewMessage) {
  const row = await db
    .selectFrom('messages')
    .selectAll()
    .where('app_id', '=', message.appId)
    .where('user_id', '=', message.userId)
    .where('client_message_id', '=', message.clientMessageId)
    .executeTakeFirst()
  if (!row) throw notFound('message')
  return row
}

function hash(value: string): number {
  let h = 2166136261
  for (let i = 0; i < value.length; i++) h = Math.imul(h ^ value.charCodeAt(i), 16777619)
  return h >>> 0
}
