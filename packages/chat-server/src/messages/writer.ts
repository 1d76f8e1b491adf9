import { GroupCommit } from '@platform/service-kit/db'
import { type Kysely, sql } from 'kysely'
import type { ChatDatabase } from '../shared/database.js'

type MessageTable = ChatDatabase['messages']

import { uuidv7 } from '../shared/ids.js'
import { notFound } from '../shared/problems.js'
import { chatChannelName } from '../shared/realtime-names.js'
import {
  accessFromFacts,
  assertMaySend,
  type SendFacts,
  type SendMode,
  slowModeProblem,
} from './send-policy.js'
import { type Attachment, type MessageRow, toMessage } from './serialize.js'

/**
 * A message whose content passed every check. Whether its sender may post (channel exists,
 * membership, bans, mutes, blocks, archive, slow mode) is decided by the write itself.
 */
export interface NewMessage {
  appId: string
  channelId: string
  userId: string | null
  mode: SendMode
  text: string
  parentId: string | null
  quotedId: string | null
  mentions: string[]
  attachments: Attachment[]
  custom: Record<string, unknown>
  clientMessageId: string | null
}

export interface WriteResult {
  row: MessageRow
  /** True when clientMessageId had been used before: row is the first message, nothing was written. */
  repeat: boolean
}

/** What the statement decided for one message. */
export type WriteOutcome =
  | { verdict: 'written' | 'repeat'; row: MessageRow }
  | { verdict: 'refused' | 'slow'; facts: SendFacts }
  | { verdict: 'missing' }

/** A committed batch's answer for one message, with the time the batch was judged at. */
interface Written {
  outcome: WriteOutcome
  now: Date
}

const MAX_BATCH = 256

/**
 * Group commit for message sends (the kit's GroupCommit). Sends queue per lane (channels are
 * hashed onto lanes, so two lanes never lock the same channel row, and a channel's messages are
 * written in arrival order); each lane writes whatever queued up while its previous statement ran
 * as ONE statement, so one round trip and one WAL flush serve the whole batch. Under light load a
 * batch is one message and nothing waits. Each caller is answered only after the statement
 * holding its message committed. A failing statement (a clientMessageId racing in another lane, a
 * deadlock) is split in halves until the failing message is alone, so it never fails the others.
 */
export class MessageWriter {
  private readonly lanes: GroupCommit<NewMessage, Written>[]

  constructor(
    private readonly db: Kysely<ChatDatabase>,
    laneCount = 4,
  ) {
    this.lanes = Array.from(
      { length: laneCount },
      () =>
        new GroupCommit<NewMessage, Written>({
          maxBatch: MAX_BATCH,
          // A second send with the same idempotency key as one already in the batch waits for the
          // next batch, where it is answered as a repeat (inside one statement both would look new
          // and the unique index would fail the whole batch).
          key: (m) =>
            m.clientMessageId === null ? null : `${m.appId}|${m.userId ?? ''}|${m.clientMessageId}`,
          commit: async (messages) => {
            const now = new Date()
            const outcomes = await writeMessages(this.db, messages, now)
            return outcomes.map((outcome) => ({ outcome, now }))
          },
          recover: async (message, error) => {
            if ((error as { code?: string }).code === '23505' && message.clientMessageId) {
              // The same clientMessageId committed in another lane (another channel) meanwhile.
              const row = await findByClientId(this.db, message)
              return { outcome: { verdict: 'repeat', row }, now: new Date() }
            }
            throw error
          },
        }),
    )
  }

  /**
   * Resolves with the stored row, or with the existing row when clientMessageId was already used;
   * rejects with the problem (404/403/429) when the sender may not post there.
   */
  async write(message: NewMessage): Promise<WriteResult> {
    const lane = this.lanes[hash(`${message.appId}:${message.channelId}`) % this.lanes.length]!
    const { outcome, now } = await lane.submit(message)
    return settle(message, outcome, now)
  }
}

function settle(message: NewMessage, outcome: WriteOutcome, now: Date): WriteResult {
  switch (outcome.verdict) {
    case 'written':
    case 'repeat':
      return { row: outcome.row, repeat: outcome.verdict === 'repeat' }
    case 'missing':
      throw notFound('channel')
    default: {
      const access = accessFromFacts(
        outcome.facts,
        message.appId,
        message.channelId,
        message.userId,
        message.mode,
      )
      if (outcome.verdict === 'slow') throw slowModeProblem(access, now.getTime())
      assertMaySend(access, message.mode)
      // The SQL refused what the policy allows: the two copies of the rules drifted apart.
      throw new Error(`send refused by the writer but allowed by send-policy: ${JSON.stringify(outcome)}`)
    }
  }
}

/** The message columns callers get back (not the search vector). */
const COLUMNS = [
  'app_id',
  'id',
  'channel_id',
  'seq',
  'user_id',
  'text',
  'type',
  'parent_id',
  'quoted_id',
  'mentions',
  'attachments',
  'custom',
  'client_message_id',
  'reply_count',
  'thread_participants',
  'pinned_at',
  'pinned_by',
  'edited_at',
  'deleted_at',
  'created_at',
  'updated_at',
] as const satisfies readonly (keyof MessageTable)[]
const columnsOf = (alias: string) => sql.raw(COLUMNS.map((c) => `${alias}.${c}`).join(', '))

/**
 * Decides and writes a batch in ONE statement (one round trip; atomic without BEGIN/COMMIT):
 * 1. reads, per message, what the send policy needs (channel, membership, bans, mutes, blocks,
 *    slow mode) and an earlier message with the same clientMessageId, all in the statement's
 *    snapshot, so a ban that committed before the write is always seen;
 * 2. judges each message (see send-policy.ts for the same rules in TypeScript): refused, repeat,
 *    slow, or ok; of several messages of one sender in one slow-mode channel only the first is ok;
 * 3. for the ok ones: allocates seqs per channel, inserts the messages, bumps thread parents,
 *    records slow-mode send times, inserts the outbox events.
 * The event payloads are built here with the message as the API shows it; SQL only fills in the
 * seq (and a reply's thread counters). result[i] is the outcome of messages[i].
 */
export async function writeMessages(
  db: Kysely<ChatDatabase>,
  messages: NewMessage[],
  now = new Date(),
): Promise<WriteOutcome[]> {
  const input = messages.map((m, idx) => {
    const id = uuidv7()
    const message = toMessage({
      app_id: m.appId,
      id,
      channel_id: m.channelId,
      seq: '0',
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
      pinned_at: null,
      pinned_by: null,
      edited_at: null,
      deleted_at: null,
      created_at: now,
      updated_at: now,
    })
    return {
      idx,
      app_id: m.appId,
      channel_id: m.channelId,
      user_id: m.userId,
      mode: m.mode,
      id,
      text: m.text,
      parent_id: m.parentId,
      quoted_id: m.quotedId,
      mentions: m.mentions,
      attachments: m.attachments,
      custom: m.custom,
      client_message_id: m.clientMessageId,
      event_id: uuidv7(),
      channel: chatChannelName(m.appId, m.channelId),
      payload: m.parentId ? { message, parentId: m.parentId } : { message },
    }
  })
  // The message columns are NULL where no message is returned (refused, slow, a deleted channel).
  const { rows } = await sql<
    { idx: number; verdict: 'missing' | 'refused' | 'repeat' | 'slow' | 'ok'; facts: SendFacts } & MessageRow
  >`
    with input as (
      select * from jsonb_to_recordset(${JSON.stringify(input)}::jsonb) as t(
        idx int, app_id uuid, channel_id text, user_id text, mode text, id uuid, text text, parent_id uuid,
        quoted_id uuid, mentions jsonb, attachments jsonb, custom jsonb, client_message_id text,
        event_id uuid, channel text, payload jsonb)
    ),
    -- materialized: each fact is computed once (inlined, every use of a subquery column would be
    -- planned again as its own subplan, which tripled the planning time)
    facts as materialized (
      select i.idx, c.id is not null as found, c.type, c.archived_at is not null as archived,
        coalesce(c.slow_mode_seconds, 0) as slow_mode_seconds, m.role, m.last_sent_at,
        coalesce((select u.role = 'admin' from users u where u.app_id = i.app_id and u.id = i.user_id), false)
          as app_admin,
        exists (select 1 from bans b where b.app_id = i.app_id and b.user_id = i.user_id and b.kind = 'ban'
                and b.channel_id in ('', i.channel_id) and (b.expires_at is null or b.expires_at > now())) as banned,
        exists (select 1 from bans b where b.app_id = i.app_id and b.user_id = i.user_id and b.kind = 'mute'
                and b.channel_id in ('', i.channel_id) and (b.expires_at is null or b.expires_at > now())) as muted,
        coalesce(c.type = 'direct' and exists (
          select 1 from members p join blocks k on k.app_id = p.app_id and k.blocker_id = p.user_id
          where p.app_id = i.app_id and p.channel_id = i.channel_id and p.user_id <> i.user_id
            and k.blocked_id = i.user_id), false) as blocked_by_peer,
        -- coalesce: a backend posting as nobody (NULL user) repeats too (migration 0002's index)
        (select e.id from messages e where e.app_id = i.app_id and coalesce(e.user_id, '') = coalesce(i.user_id, '')
           and e.client_message_id = i.client_message_id and e.client_message_id is not null) as existing_id
      from input i
      left join channels c on c.app_id = i.app_id and c.id = i.channel_id
      left join members m on m.app_id = i.app_id and m.channel_id = i.channel_id and m.user_id = i.user_id
    ),
    rules as materialized (
      select f.*, i.app_id, i.channel_id, i.user_id, i.id,
        -- send-policy.ts assertMaySend
        case i.mode
          when 'user' then f.role is null or f.banned or f.blocked_by_peer or f.muted
          when 'on_behalf' then f.banned
          else false
        end or f.archived as refused,
        -- send-policy.ts slowModeApplies: everyone but moderators (a backend posting as nobody is one)
        f.slow_mode_seconds > 0
          and not (i.mode = 'server' or f.app_admin or coalesce(f.role in ('owner', 'moderator'), false)) as slow_applies
      from input i join facts f on f.idx = i.idx
    ),
    judged as (
      select r.*,
        case
          when not r.found then 'missing'
          when r.refused then 'refused'
          when r.existing_id is not null then 'repeat'
          when r.slow_applies and r.last_sent_at > ${now}::timestamptz - make_interval(secs => r.slow_mode_seconds)
            then 'slow'
          else 'ok'
        end as pre
      from rules r
    ),
    decided as (
      select j.*,
        case when j.pre = 'ok' and j.slow_applies and row_number() over (
               partition by j.app_id, j.channel_id, j.user_id, j.pre = 'ok' and j.slow_applies order by j.idx) > 1
             then 'slow' else j.pre end as verdict
      from judged j
    ),
    ok as (
      select i.*, d.slow_applies, row_number() over (partition by i.app_id, i.channel_id order by i.idx)::int as ord
      from decided d join input i on i.idx = d.idx where d.verdict = 'ok'
    ),
    counts as (select app_id, channel_id, count(*)::int as n from ok group by app_id, channel_id),
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
      from ok i join alloc a on a.app_id = i.app_id and a.id = i.channel_id
      returning ${columnsOf('messages')}
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
      from ins s join ok i on i.id = s.id
      where i.slow_applies and m.app_id = i.app_id and m.channel_id = i.channel_id and m.user_id = i.user_id
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
      from ins s join ok i on i.id = s.id
      left join threads t on t.app_id = s.app_id and t.id = s.parent_id
      order by s.seq
      returning 1
    )
    select d.idx, d.verdict,
           case when d.verdict in ('refused', 'slow') then to_jsonb(d) end as facts, ${columnsOf('s')}
    from decided d left join ins s on s.app_id = d.app_id and s.id = d.id
    where d.verdict <> 'repeat'
    union all
    select d.idx, d.verdict, null, ${columnsOf('e')}
    from decided d join messages e on e.app_id = d.app_id and e.id = d.existing_id
    where d.verdict = 'repeat'`.execute(db)
  const outcomes: WriteOutcome[] = messages.map(() => ({ verdict: 'missing' }))
  for (const { idx, verdict, facts, ...row } of rows) {
    if (verdict === 'refused' || verdict === 'slow') outcomes[idx] = { verdict, facts }
    else if (verdict === 'repeat') outcomes[idx] = { verdict, row }
    // ok without a row: the channel was deleted while the statement waited for its lock
    else if (verdict === 'ok' && row.id !== null) outcomes[idx] = { verdict: 'written', row }
  }
  return outcomes
}

async function findByClientId(db: Kysely<ChatDatabase>, message: NewMessage) {
  const row = await db
    .selectFrom('messages')
    .select(COLUMNS)
    .where('app_id', '=', message.appId)
    .where(sql<string>`coalesce(user_id, '')`, '=', message.userId ?? '')
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
