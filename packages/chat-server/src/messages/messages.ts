import { type Kysely, sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import {
  assertModerate,
  assertNotArchived,
  assertRead,
  assertWrite,
  type ChannelAccess,
  canModerate,
  channelAccess,
} from '../channels/access.js'
import type { ChatContext } from '../shared/context.js'
import type { ChatDatabase, Row } from '../shared/database.js'
import { uuidv7 } from '../shared/ids.js'
import { writeOutbox } from '../shared/outbox.js'
import { badRequest, forbidden, notFound } from '../shared/problems.js'
import { chatChannelName } from '../shared/realtime-names.js'
import { iso } from '../shared/time.js'
import { transact } from '../shared/transaction.js'
import { signAttachments } from '../uploads/urls.js'
import { resolveAttachments } from './attachments.js'
import { type Attachment, type Message, type MessageRow, toMessage } from './serialize.js'

/** Loads a message of the caller's app and the caller's access to its channel (404 if unreadable). */
export async function messageWithAccess(
  ctx: ChatContext,
  who: AppPrincipal,
  messageId: string,
): Promise<{ row: Row<'messages'>; access: ChannelAccess }> {
  const row = await ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('id', '=', messageId)
    .executeTakeFirst()
  if (!row) throw notFound('message')
  const access = await channelAccess(ctx, who, row.channel_id)
  assertRead(access, () => notFound('message'))
  return { row, access }
}

/** Adds reaction counts, the viewer's own reactions and signed attachment URLs to a page of rows. */
export async function present(ctx: ChatContext, who: AppPrincipal, rows: MessageRow[]): Promise<Message[]> {
  const messages = rows.map(toMessage)
  if (messages.length === 0) return messages
  const ids = messages.map((m) => m.id)
  const viewer = who.kind === 'user' ? who.userId : null
  const { rows: reactions } = await sql<{ message_id: string; type: string; n: number; mine: boolean }>`
    select message_id, type, count(*)::int as n, bool_or(user_id = ${viewer}) as mine
    from reactions where app_id = ${who.appId} and message_id = any(${ids}::uuid[])
    group by message_id, type`.execute(ctx.db)
  const byId = new Map(messages.map((m) => [m.id, m]))
  for (const r of reactions) {
    const message = byId.get(r.message_id)
    if (!message) continue
    message.reactionCounts[r.type] = r.n
    if (r.mine) message.ownReactions.push(r.type)
  }
  await signAttachments(ctx, who.appId, messages)
  return messages
}

export interface PageOptions {
  limit: number
  before?: number | undefined
  after?: number | undefined
  around?: number | undefined
}

/** Channel messages (thread replies excluded) by seq, ascending; hides users the caller blocked. */
export async function listMessages(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
  page: PageOptions,
): Promise<Message[]> {
  assertRead(await channelAccess(ctx, who, channelId))
  const rows = await pageRows(ctx.db, who, { channelId, parentId: null }, page)
  return present(ctx, who, rows)
}

export async function listReplies(ctx: ChatContext, who: AppPrincipal, parentId: string, page: PageOptions) {
  const { row } = await messageWithAccess(ctx, who, parentId)
  const rows = await pageRows(ctx.db, who, { channelId: row.channel_id, parentId }, page)
  return present(ctx, who, rows)
}

async function pageRows(
  db: Kysely<ChatDatabase>,
  who: AppPrincipal,
  scope: { channelId: string; parentId: string | null },
  page: PageOptions,
): Promise<Row<'messages'>[]> {
  const base = () => {
    let q = db
      .selectFrom('messages')
      .selectAll()
      .where('app_id', '=', who.appId)
      .where('channel_id', '=', scope.channelId)
      .where('parent_id', scope.parentId === null ? 'is' : '=', scope.parentId)
    if (who.kind === 'user') {
      q = q.where((eb) =>
        eb.or([
          eb('user_id', 'is', null),
          eb(
            'user_id',
            'not in',
            eb
              .selectFrom('blocks')
              .select('blocked_id')
              .where('app_id', '=', who.appId)
              .where('blocker_id', '=', who.userId),
          ),
        ]),
      )
    }
    return q
  }
  if (page.around !== undefined) {
    const half = Math.max(1, Math.floor(page.limit / 2))
    const older = await base()
      .where('seq', '<', String(page.around))
      .orderBy('seq', 'desc')
      .limit(half)
      .execute()
    const newer = await base()
      .where('seq', '>=', String(page.around))
      .orderBy('seq', 'asc')
      .limit(page.limit - older.length)
      .execute()
    return [...older.reverse(), ...newer]
  }
  if (page.after !== undefined) {
    let q = base().where('seq', '>', String(page.after))
    if (page.before !== undefined) q = q.where('seq', '<', String(page.before))
    return q.orderBy('seq', 'asc').limit(page.limit).execute()
  }
  let q = base()
  if (page.before !== undefined) q = q.where('seq', '<', String(page.before))
  const rows = await q.orderBy('seq', 'desc').limit(page.limit).execute()
  return rows.reverse()
}

export async function getMessage(ctx: ChatContext, who: AppPrincipal, messageId: string): Promise<Message> {
  const { row } = await messageWithAccess(ctx, who, messageId)
  const [message] = await present(ctx, who, [row])
  return message!
}

export interface EditInput {
  text?: string | undefined
  attachments?: Partial<Attachment>[] | undefined
  custom?: Record<string, unknown> | undefined
  mentions?: string[] | undefined
}

/** Only the author edits; the previous text goes to message_edits. */
export async function editMessage(
  ctx: ChatContext,
  who: AppPrincipal,
  messageId: string,
  input: EditInput,
  filter: (text: string) => Promise<string>,
): Promise<Message> {
  const { row, access } = await messageWithAccess(ctx, who, messageId)
  if (who.kind === 'user' && row.user_id !== who.userId)
    throw forbidden('not_author', 'only the author may edit a message')
  if (who.kind === 'user') assertWrite(access)
  assertNotArchived(access)
  if (row.deleted_at) throw badRequest('message_deleted', 'a deleted message cannot be edited')
  if (input.text !== undefined && input.text.length > ctx.config.MESSAGE_MAX_LENGTH) {
    throw badRequest('text_too_long', `text is longer than ${ctx.config.MESSAGE_MAX_LENGTH} characters`)
  }
  const set: Record<string, unknown> = { updated_at: sql`now()`, edited_at: sql`now()` }
  if (input.text !== undefined) set.text = await filter(input.text)
  if (input.attachments !== undefined) {
    set.attachments = JSON.stringify(
      await resolveAttachments(ctx, who.appId, row.channel_id, input.attachments),
    )
  }
  if (input.custom !== undefined) set.custom = JSON.stringify(input.custom)
  if (input.mentions !== undefined) set.mentions = [...new Set(input.mentions)]
  const updated = await transact(ctx, async (trx) => {
    await trx
      .insertInto('message_edits')
      .values({
        app_id: who.appId,
        id: uuidv7(),
        message_id: messageId,
        previous_text: row.text,
        edited_by: who.kind === 'user' ? who.userId : null,
      })
      .execute()
    const updated = await trx
      .updateTable('messages')
      .set(set)
      .where('app_id', '=', who.appId)
      .where('id', '=', messageId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await writeOutbox(trx, [
      {
        appId: who.appId,
        channel: chatChannelName(who.appId, row.channel_id),
        type: 'message.updated',
        payload: { message: toMessage(updated) },
      },
    ])
    return updated
  })
  const [message] = await present(ctx, who, [updated])
  return message!
}

export async function editHistory(ctx: ChatContext, who: AppPrincipal, messageId: string) {
  await messageWithAccess(ctx, who, messageId)
  const rows = await ctx.db
    .selectFrom('message_edits')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('message_id', '=', messageId)
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    text: row.previous_text,
    editedBy: row.edited_by,
    editedAt: iso(row.edited_at),
  }))
}

/** Soft delete by the author or a moderator; hard delete (row gone) by moderators only. */
export async function deleteMessage(
  ctx: ChatContext,
  who: AppPrincipal,
  messageId: string,
  hard: boolean,
): Promise<void> {
  const { row, access } = await messageWithAccess(ctx, who, messageId)
  const author = who.kind === 'user' && row.user_id === who.userId
  if (hard) assertModerate(access)
  else if (!author && !canModerate(access))
    throw forbidden('not_author', 'only the author or a moderator may delete')
  await transact(ctx, async (trx) => {
    if (hard) {
      await trx.deleteFrom('messages').where('app_id', '=', who.appId).where('id', '=', messageId).execute()
      if (row.parent_id) {
        await sql`update messages set reply_count = greatest(reply_count - 1, 0)
                  where app_id = ${who.appId} and id = ${row.parent_id}`.execute(trx)
      }
    } else {
      await trx
        .updateTable('messages')
        .set({ deleted_at: sql`now()`, updated_at: sql`now()`, text: '', attachments: '[]', custom: '{}' })
        .where('app_id', '=', who.appId)
        .where('id', '=', messageId)
        .execute()
    }
    await writeOutbox(trx, [
      {
        appId: who.appId,
        channel: chatChannelName(who.appId, row.channel_id),
        type: 'message.deleted',
        payload: { messageId, channelId: row.channel_id, seq: Number(row.seq), hard },
      },
    ])
  })
}

export async function setPinned(
  ctx: ChatContext,
  who: AppPrincipal,
  messageId: string,
  pinned: boolean,
): Promise<Message> {
  const { row, access } = await messageWithAccess(ctx, who, messageId)
  assertWrite(access)
  if (row.deleted_at) throw badRequest('message_deleted', 'a deleted message cannot be pinned')
  const updated = await transact(ctx, async (trx) => {
    const updated = await trx
      .updateTable('messages')
      .set({
        pinned_at: pinned ? sql`now()` : null,
        pinned_by: pinned ? (who.kind === 'user' ? who.userId : null) : null,
        updated_at: sql`now()`,
      })
      .where('app_id', '=', who.appId)
      .where('id', '=', messageId)
      .returningAll()
      .executeTakeFirstOrThrow()
    await writeOutbox(trx, [
      {
        appId: who.appId,
        channel: chatChannelName(who.appId, row.channel_id),
        type: 'message.updated',
        payload: { message: toMessage(updated) },
      },
    ])
    return updated
  })
  const [message] = await present(ctx, who, [updated])
  return message!
}

export async function listPinned(ctx: ChatContext, who: AppPrincipal, channelId: string): Promise<Message[]> {
  assertRead(await channelAccess(ctx, who, channelId))
  const rows = await ctx.db
    .selectFrom('messages')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('channel_id', '=', channelId)
    .where('pinned_at', 'is not', null)
    .where('deleted_at', 'is', null)
    .orderBy('pinned_at', 'desc')
    .limit(100)
    .execute()
  return present(ctx, who, rows)
}

/** Messages that mention the caller, in channels they are still a member of, newest first. */
export async function mentionsOf(
  ctx: ChatContext,
  who: AppPrincipal & { kind: 'user' },
  limit: number,
  before?: string,
) {
  const { rows } = await sql<Row<'messages'>>`
    select m.* from messages m
    join members mb on mb.app_id = m.app_id and mb.channel_id = m.channel_id and mb.user_id = ${who.userId}
    where m.app_id = ${who.appId} and m.mentions @> array[${who.userId}]::text[] and m.deleted_at is null
      and (${before ?? null}::uuid is null or m.id < ${before ?? null}::uuid)
      -- a blocked user's mentions do not reach the blocker
      and not exists (select 1 from blocks k where k.app_id = m.app_id and k.blocker_id = ${who.userId}
                      and k.blocked_id = m.user_id)
    order by m.id desc limit ${limit}`.execute(ctx.db)
  return present(ctx, who, rows)
}
