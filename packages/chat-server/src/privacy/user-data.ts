import { type Kysely, sql } from 'kysely'
import type { ChatContext } from '../shared/context.js'
import type { ChatDatabase } from '../shared/database.js'
import { writeOutbox } from '../shared/outbox.js'
import { notFound } from '../shared/problems.js'
import { disconnectControl, historyRemoveControl } from '../shared/realtime-control.js'
import { chatChannelName, userChannelName } from '../shared/realtime-names.js'
import { iso, isoOrNull } from '../shared/time.js'
import { transact } from '../shared/transaction.js'
import { forgetUserTokens } from '../tokens/tokens.js'

type Rows = Record<string, unknown>[]

/**
 * Everything ChatSDK stores about one user (GDPR Art. 15 access, Art. 20 portability), one export
 * section per kind of record. Every query is scoped by app and user.
 */
export const EXPORT_SECTIONS: Record<
  string,
  (ctx: ChatContext, appId: string, userId: string) => Promise<Rows>
> = {
  'chat.profile': async (ctx, appId, userId) => {
    const rows = await ctx.db
      .selectFrom('users')
      .selectAll()
      .where('app_id', '=', appId)
      .where('id', '=', userId)
      .execute()
    return rows.map((u) => ({
      id: u.id,
      name: u.name,
      image: u.image,
      custom: u.custom,
      role: u.role,
      createdAt: iso(u.created_at),
      lastActiveAt: isoOrNull(u.last_active_at),
    }))
  },
  'chat.memberships': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('members')
        .selectAll()
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .orderBy('channel_id')
        .execute()
    ).map((m) => ({
      channelId: m.channel_id,
      role: m.role,
      joinedAt: iso(m.joined_at),
      lastReadSeq: Number(m.last_read_seq),
    })),
  'chat.messages': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('messages')
        .selectAll()
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .orderBy('id')
        .execute()
    ).map((m) => ({
      id: m.id,
      channelId: m.channel_id,
      seq: Number(m.seq),
      text: m.text,
      parentId: m.parent_id,
      attachments: m.attachments,
      custom: m.custom,
      createdAt: iso(m.created_at),
      editedAt: isoOrNull(m.edited_at),
      deletedAt: isoOrNull(m.deleted_at),
    })),
  'chat.message_edits': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('message_edits')
        .selectAll()
        .where('app_id', '=', appId)
        .where('edited_by', '=', userId)
        .orderBy('edited_at')
        .execute()
    ).map((e) => ({
      messageId: e.message_id,
      previousText: e.previous_text,
      editedAt: iso(e.edited_at),
    })),
  'chat.reactions': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('reactions')
        .selectAll()
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute()
    ).map((r) => ({
      messageId: r.message_id,
      type: r.type,
      createdAt: iso(r.created_at),
    })),
  'chat.poll_votes': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('poll_votes')
        .selectAll()
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute()
    ).map((v) => ({
      pollId: v.poll_id,
      optionId: v.option_id,
      createdAt: iso(v.created_at),
    })),
  'chat.uploads': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('uploads')
        .selectAll()
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute()
    ).map((u) => ({
      id: u.id,
      channelId: u.channel_id,
      fileName: u.file_name,
      contentType: u.content_type,
      size: u.size === null ? null : Number(u.size),
      createdAt: iso(u.created_at),
    })),
  'chat.blocks': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('blocks')
        .selectAll()
        .where('app_id', '=', appId)
        .where('blocker_id', '=', userId)
        .orderBy('created_at')
        .execute()
    ).map((b) => ({
      userId: b.blocked_id,
      createdAt: iso(b.created_at),
    })),
  'chat.reports': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('flags')
        .selectAll()
        .where('app_id', '=', appId)
        .where('reporter_id', '=', userId)
        .orderBy('created_at')
        .execute()
    ).map((f) => ({
      messageId: f.message_id,
      reason: f.reason,
      status: f.status,
      createdAt: iso(f.created_at),
    })),
  'chat.sessions': async (ctx, appId, userId) =>
    (
      await ctx.db
        .selectFrom('sessions')
        .selectAll()
        .where('app_id', '=', appId)
        .where('user_id', '=', userId)
        .orderBy('created_at')
        .execute()
    ).map((x) => ({
      id: x.id,
      createdAt: iso(x.created_at),
      revokedAt: isoOrNull(x.revoked_at),
    })),
}

/**
 * Erasure (Art. 17). Their messages stay as anonymous tombstones (no author, no text, no files) so
 * the threads of others keep their shape; everything else personal is deleted, uploads included.
 */
export async function eraseUserData(
  ctx: ChatContext,
  appId: string,
  userId: string,
): Promise<{ erasedMessages: number }> {
  const uploads = await ctx.db
    .selectFrom('uploads')
    .select(['storage_key', 'thumb_key'])
    .where('app_id', '=', appId)
    .where('user_id', '=', userId)
    .execute()
  const erasedMessages = await transact(ctx, async (trx) => {
    // lock the user row (when it is still there) so a concurrent upsert waits; erasing twice is a no-op
    await trx
      .selectFrom('users')
      .select('id')
      .where('app_id', '=', appId)
      .where('id', '=', userId)
      .forUpdate()
      .execute()
    return eraseRows(trx, appId, userId)
  })
  for (const upload of uploads) {
    await ctx.storage.delete(upload.storage_key)
    if (upload.thumb_key) await ctx.storage.delete(upload.thumb_key)
  }
  await forgetUserTokens(ctx, appId, userId)
  return { erasedMessages }
}

/**
 * The erased user's words also sit in the outbox (the events that carried their messages) and in
 * the realtime streams clients recover from. Outbox copies become tombstones like the rows; the
 * streams of every channel they wrote in (and their own) are dropped through the relay, so a
 * recovering client is told to reload from the database, which holds only tombstones.
 */
async function eraseRealtimeCopies(db: Kysely<ChatDatabase>, appId: string, userId: string): Promise<void> {
  const channels = await db
    .selectFrom('messages')
    .select('channel_id')
    .distinct()
    .where('app_id', '=', appId)
    .where('user_id', '=', userId)
    .execute()
  await sql`update outbox set payload = jsonb_set(payload, '{message}', (payload->'message') ||
              '{"userId": null, "text": "", "type": "deleted", "mentions": [], "attachments": [],
                "custom": {}, "clientMessageId": null}'::jsonb)
            where app_id = ${appId} and payload->'message'->>'userId' = ${userId}`.execute(db)
  await writeOutbox(db, [
    ...channels.map((row) => historyRemoveControl(appId, chatChannelName(appId, row.channel_id))),
    historyRemoveControl(appId, userChannelName(appId, userId)),
    disconnectControl(appId, userId, 'erased'),
  ])
}

async function eraseRows(db: Kysely<ChatDatabase>, appId: string, userId: string): Promise<number> {
  await eraseRealtimeCopies(db, appId, userId)
  const { rows } = await sql<{ n: number }>`
    with erased as (
      update messages set user_id = null, text = '', attachments = '[]'::jsonb, custom = '{}'::jsonb, mentions = '{}',
        client_message_id = null, deleted_at = coalesce(deleted_at, now()), updated_at = now()
      where app_id = ${appId} and user_id = ${userId} returning 1)
    select count(*)::int as n from erased`.execute(db)
  await sql`update messages set mentions = array_remove(mentions, ${userId}::text),
              thread_participants = array_remove(thread_participants, ${userId}::text)
            where app_id = ${appId} and (mentions @> array[${userId}]::text[] or thread_participants @> array[${userId}]::text[])`.execute(
    db,
  )
  await sql`delete from message_edits where app_id = ${appId} and (edited_by = ${userId} or message_id in (
              select id from messages where app_id = ${appId} and user_id is null and deleted_at is not null))`.execute(
    db,
  )
  await sql`update messages set pinned_by = null where app_id = ${appId} and pinned_by = ${userId}`.execute(
    db,
  )
  await sql`update flags set reporter_id = null where app_id = ${appId} and reporter_id = ${userId}`.execute(
    db,
  )
  await sql`update polls set created_by = null where app_id = ${appId} and created_by = ${userId}`.execute(db)
  await sql`update channels set created_by = null where app_id = ${appId} and created_by = ${userId}`.execute(
    db,
  )
  for (const [table, column] of [
    ['reactions', 'user_id'],
    ['poll_votes', 'user_id'],
    ['uploads', 'user_id'],
    ['members', 'user_id'],
    ['bans', 'user_id'],
    ['blocks', 'blocker_id'],
    ['blocks', 'blocked_id'],
  ] as const) {
    await db.deleteFrom(table).where('app_id', '=', appId).where(column, '=', userId).execute()
  }
  // sessions go with the user row (ON DELETE CASCADE)
  await db.deleteFrom('users').where('app_id', '=', appId).where('id', '=', userId).execute()
  return rows[0]?.n ?? 0
}

/** Keeps the user id but drops their profile (name, image, custom) and ends their sessions. */
export async function anonymizeUser(ctx: ChatContext, appId: string, userId: string): Promise<void> {
  await transact(ctx, async (trx) => {
    const row = await trx
      .updateTable('users')
      .set({
        name: 'Deleted user',
        image: null,
        custom: '{}',
        anonymized_at: sql`now()`,
        token_generation: sql`token_generation + 1`,
        updated_at: sql`now()`,
      })
      .where('app_id', '=', appId)
      .where('id', '=', userId)
      .returning('id')
      .executeTakeFirst()
    if (!row) throw notFound('user')
    await trx
      .updateTable('sessions')
      .set({ revoked_at: sql`now()` })
      .where('app_id', '=', appId)
      .where('user_id', '=', userId)
      .execute()
    await writeOutbox(trx, [disconnectControl(appId, userId, 'tokens_revoked')])
  })
  await forgetUserTokens(ctx, appId, userId)
}
