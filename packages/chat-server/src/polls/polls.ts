import { type Kysely, sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import { assertNotArchived, assertRead, assertWrite, canModerate, channelAccess } from '../channels/access.js'
import { messageWithAccess } from '../messages/messages.js'
import type { ChatContext } from '../shared/context.js'
import type { ChatDatabase } from '../shared/database.js'
import { isUuid, uuidv7 } from '../shared/ids.js'
import { writeOutbox } from '../shared/outbox.js'
import { badRequest, conflict, forbidden, notFound } from '../shared/problems.js'
import { chatChannelName } from '../shared/realtime-names.js'
import { iso, isoOrNull } from '../shared/time.js'
import { transact } from '../shared/transaction.js'

export interface PollOption {
  id: string
  text: string
  voteCount: number
  /** Absent for anonymous polls. */
  voters?: string[]
}

export interface Poll {
  id: string
  messageId: string
  channelId: string
  question: string
  multiple: boolean
  anonymous: boolean
  createdBy: string | null
  closedAt: string | null
  createdAt: string
  options: PollOption[]
  voterCount: number
  ownVotes: string[]
}

export interface CreatePollInput {
  question: string
  options: string[]
  multiple?: boolean | undefined
  anonymous?: boolean | undefined
}

/** Attaches a poll to a message; only its author (or a backend) may. */
export async function createPoll(
  ctx: ChatContext,
  who: AppPrincipal,
  messageId: string,
  input: CreatePollInput,
): Promise<Poll> {
  const { row, access } = await messageWithAccess(ctx, who, messageId)
  assertWrite(access)
  assertNotArchived(access)
  if (who.kind === 'user' && row.user_id !== who.userId)
    throw forbidden('not_author', 'only the author may add a poll')
  const options = input.options.map((text) => text.trim())
  if (new Set(options).size !== options.length)
    throw badRequest('duplicate_options', 'poll options must differ')
  const pollId = uuidv7()
  try {
    await transact(ctx, async (trx) => {
      await trx
        .insertInto('polls')
        .values({
          app_id: who.appId,
          id: pollId,
          message_id: messageId,
          channel_id: row.channel_id,
          question: input.question,
          multiple: input.multiple ?? false,
          anonymous: input.anonymous ?? false,
          created_by: who.kind === 'user' ? who.userId : row.user_id,
        })
        .execute()
      await trx
        .insertInto('poll_options')
        .values(
          options.map((text, position) => ({
            app_id: who.appId,
            poll_id: pollId,
            id: uuidv7(),
            position,
            text,
          })),
        )
        .execute()
      await emit(trx, who.appId, pollId)
    })
  } catch (error) {
    if ((error as { code?: string }).code === '23505')
      throw conflict('poll_exists', 'the message already has a poll')
    throw error
  }
  ctx.metrics.pollsCreated.inc()
  return readPoll(ctx.db, who, pollId)
}

async function pollWithAccess(ctx: ChatContext, who: AppPrincipal, pollId: string) {
  if (!isUuid(pollId)) throw notFound('poll')
  const poll = await ctx.db
    .selectFrom('polls')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('id', '=', pollId)
    .executeTakeFirst()
  if (!poll) throw notFound('poll')
  const access = await channelAccess(ctx, who, poll.channel_id)
  return { poll, access }
}

export async function getPoll(ctx: ChatContext, who: AppPrincipal, pollId: string): Promise<Poll> {
  await messageWithAccess(ctx, who, (await pollWithAccess(ctx, who, pollId)).poll.message_id)
  return readPoll(ctx.db, who, pollId)
}

/**
 * Votes for options. Single-choice polls replace the caller's previous vote. A transaction-scoped
 * advisory lock per (poll, user) serialises one user's concurrent votes; counts are count(*) over
 * poll_votes, so they are exact however many users vote at once.
 */
export async function vote(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  pollId: string,
  optionIds: string[],
): Promise<Poll> {
  const { poll, access } = await pollWithAccess(ctx, who, pollId)
  assertWrite(access)
  if (poll.closed_at) throw conflict('poll_closed', 'the poll is closed')
  const chosen = [...new Set(optionIds)]
  if (chosen.length === 0) throw badRequest('no_options', 'choose at least one option')
  if (!poll.multiple && chosen.length > 1) throw badRequest('single_choice', 'this poll takes one option')
  if (chosen.some((id) => !isUuid(id))) throw badRequest('unknown_option', 'unknown poll option')
  const valid = await ctx.db
    .selectFrom('poll_options')
    .select('id')
    .where('app_id', '=', who.appId)
    .where('poll_id', '=', pollId)
    .where('id', 'in', chosen)
    .execute()
  if (valid.length !== chosen.length) throw badRequest('unknown_option', 'unknown poll option')
  await transact(ctx, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext(${`poll:${pollId}:${who.userId}`}))`.execute(trx)
    if (!poll.multiple) {
      await trx
        .deleteFrom('poll_votes')
        .where('app_id', '=', who.appId)
        .where('poll_id', '=', pollId)
        .where('user_id', '=', who.userId)
        .execute()
    }
    await trx
      .insertInto('poll_votes')
      .values(
        chosen.map((optionId) => ({
          app_id: who.appId,
          poll_id: pollId,
          option_id: optionId,
          user_id: who.userId,
        })),
      )
      .onConflict((oc) => oc.doNothing())
      .execute()
    await emit(trx, who.appId, pollId)
  })
  return readPoll(ctx.db, who, pollId)
}

/** Removes the caller's vote for one option, or all their votes when optionId is omitted. */
export async function unvote(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  pollId: string,
  optionId?: string,
) {
  const { poll, access } = await pollWithAccess(ctx, who, pollId)
  assertWrite(access)
  if (poll.closed_at) throw conflict('poll_closed', 'the poll is closed')
  if (optionId !== undefined && !isUuid(optionId)) throw notFound('vote')
  await transact(ctx, async (trx) => {
    let q = trx
      .deleteFrom('poll_votes')
      .where('app_id', '=', who.appId)
      .where('poll_id', '=', pollId)
      .where('user_id', '=', who.userId)
    if (optionId) q = q.where('option_id', '=', optionId)
    const result = await q.executeTakeFirst()
    if (result.numDeletedRows === 0n) throw notFound('vote')
    await emit(trx, who.appId, pollId)
  })
  return readPoll(ctx.db, who, pollId)
}

export async function closePoll(ctx: ChatContext, who: AppPrincipal, pollId: string): Promise<Poll> {
  const { poll, access } = await pollWithAccess(ctx, who, pollId)
  assertRead(access)
  const creator = who.kind === 'user' && poll.created_by === who.userId
  if (!creator && !canModerate(access))
    throw forbidden('not_poll_owner', 'only the poll creator or a moderator may close it')
  await transact(ctx, async (trx) => {
    await trx
      .updateTable('polls')
      .set({ closed_at: sql`coalesce(closed_at, now())` })
      .where('app_id', '=', who.appId)
      .where('id', '=', pollId)
      .execute()
    await emit(trx, who.appId, pollId)
  })
  return readPoll(ctx.db, who, pollId)
}

async function emit(db: Kysely<ChatDatabase>, appId: string, pollId: string) {
  const poll = await readPoll(db, { kind: 'server', appId, keyId: '' }, pollId)
  const { ownVotes: _own, ...shared } = poll
  await writeOutbox(db, [
    {
      appId,
      channel: chatChannelName(appId, poll.channelId),
      type: 'poll.updated',
      payload: { poll: shared },
    },
  ])
}

async function readPoll(db: Kysely<ChatDatabase>, who: AppPrincipal, pollId: string): Promise<Poll> {
  const poll = await db
    .selectFrom('polls')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('id', '=', pollId)
    .executeTakeFirstOrThrow()
  const { rows } = await sql<{ id: string; text: string; n: number; voters: string[] | null }>`
    select o.id, o.text, count(v.user_id)::int as n,
      array_remove(array_agg(v.user_id order by v.created_at), null) as voters
    from poll_options o
    left join poll_votes v on v.app_id = o.app_id and v.poll_id = o.poll_id and v.option_id = o.id
    where o.app_id = ${who.appId} and o.poll_id = ${pollId}
    group by o.id, o.text, o.position order by o.position`.execute(db)
  const viewer = who.kind === 'user' ? who.userId : null
  const totalRow = await sql<{ n: number }>`
    select count(distinct user_id)::int as n from poll_votes where app_id = ${who.appId} and poll_id = ${pollId}`.execute(
    db,
  )
  return {
    id: poll.id,
    messageId: poll.message_id,
    channelId: poll.channel_id,
    question: poll.question,
    multiple: poll.multiple,
    anonymous: poll.anonymous,
    createdBy: poll.created_by,
    closedAt: isoOrNull(poll.closed_at),
    createdAt: iso(poll.created_at),
    options: rows.map((r) => ({
      id: r.id,
      text: r.text,
      voteCount: r.n,
      ...(poll.anonymous ? {} : { voters: r.voters ?? [] }),
    })),
    voterCount: totalRow.rows[0]?.n ?? 0,
    ownVotes: viewer ? rows.filter((r) => (r.voters ?? []).includes(viewer)).map((r) => r.id) : [],
  }
}
