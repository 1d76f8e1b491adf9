import type { AppPrincipal } from '../access/principal.js'
import { assertNotArchived, assertWrite, canModerate, channelAccess } from '../channels/access.js'
import type { ProfanityFilter } from '../moderation/profanity.js'
import type { ChatContext } from '../shared/context.js'
import { badRequest, conflict, forbidden, HttpProblem } from '../shared/problems.js'
import { appSettings } from '../tenants/apps.js'
import { resolveAttachments } from './attachments.js'
import type { Attachment } from './serialize.js'
import type { MessageWriter } from './writer.js'

export interface SendInput {
  text?: string | undefined
  clientMessageId?: string | undefined
  parentId?: string | undefined
  quotedMessageId?: string | undefined
  mentions?: string[] | undefined
  attachments?: Partial<Attachment>[] | undefined
  custom?: Record<string, unknown> | undefined
  /** A backend may send on behalf of a user. */
  userId?: string | undefined
}

export interface SendDeps {
  writer: MessageWriter
  profanity: ProfanityFilter
}

/**
 * Checks everything a send must satisfy (membership, bans, mutes, blocks, slow mode, archive,
 * profanity, referenced messages, mentions, uploads), then hands the row to the group-commit
 * writer. Returns the stored row; `created` is false when clientMessageId was seen before.
 */
export async function sendMessage(
  ctx: ChatContext,
  deps: SendDeps,
  who: AppPrincipal,
  channelId: string,
  input: SendInput,
): Promise<{ row: any; created: boolean }> {
  const sender = who.kind === 'user' ? who.userId : (input.userId ?? null)
  const actingAs: AppPrincipal =
    who.kind === 'server' && sender ? { kind: 'user', appId: who.appId, userId: sender, sessionId: '' } : who
  const access = await channelAccess(ctx, actingAs, channelId)
  // a backend speaking for a user may post where the user is not a member, but their bans still hold
  if (who.kind !== 'server') assertWrite(access)
  else if (sender && access.banned) throw forbidden('user_banned', 'the user is banned from this channel')
  assertNotArchived(access)
  if (access.muted && who.kind !== 'server') throw forbidden('user_muted', 'you are muted in this channel')
  const moderator = canModerate(access)
  if (access.slowModeSeconds > 0 && !moderator && access.lastSentAt) {
    const wait = access.lastSentAt.getTime() + access.slowModeSeconds * 1000 - Date.now()
    if (wait > 0) {
      throw new HttpProblem(
        429,
        'slow_mode',
        `slow mode: wait ${Math.ceil(wait / 1000)} s before sending again`,
      )
    }
  }

  const attachments = input.attachments ?? []
  const rawText = input.text ?? ''
  if (rawText.trim() === '' && attachments.length === 0) {
    throw badRequest('empty_message', 'a message needs text or attachments')
  }
  if (rawText.length > ctx.config.MESSAGE_MAX_LENGTH) {
    throw badRequest('text_too_long', `text is longer than ${ctx.config.MESSAGE_MAX_LENGTH} characters`)
  }
  const settings = await appSettings(ctx, who.appId)
  const text = deps.profanity(rawText, settings.profanity ?? 'off')

  if (input.parentId) await assertSameChannel(ctx, who.appId, channelId, input.parentId, 'parent', true)
  if (input.quotedMessageId)
    await assertSameChannel(ctx, who.appId, channelId, input.quotedMessageId, 'quoted', false)
  const mentions = [...new Set(input.mentions ?? [])]
  if (mentions.length > 0) {
    const known = await ctx.db
      .selectFrom('users')
      .select('id')
      .where('app_id', '=', who.appId)
      .where('id', 'in', mentions)
      .execute()
    const missing = mentions.filter((id) => !known.some((row) => row.id === id))
    if (missing.length > 0)
      throw badRequest('unknown_mentions', `mentioned users do not exist: ${missing.join(', ')}`)
  }
  const resolved = await resolveAttachments(ctx, who.appId, channelId, attachments)

  const { row, repeat } = await deps.writer.write({
    appId: who.appId,
    channelId,
    userId: sender,
    text,
    parentId: input.parentId ?? null,
    quotedId: input.quotedMessageId ?? null,
    mentions,
    attachments: resolved,
    custom: input.custom ?? {},
    clientMessageId: input.clientMessageId ?? null,
    trackSlowMode: access.slowModeSeconds > 0 && !moderator,
  })
  if (row.channel_id !== channelId) {
    throw conflict('client_message_id_reused', 'this clientMessageId was already used for another channel')
  }
  if (!repeat) ctx.metrics.messagesSent.inc()
  return { row, created: !repeat }
}

async function assertSameChannel(
  ctx: ChatContext,
  appId: string,
  channelId: string,
  messageId: string,
  what: 'parent' | 'quoted',
  mustBeTopLevel: boolean,
) {
  const row = await ctx.db
    .selectFrom('messages')
    .select(['channel_id', 'parent_id', 'deleted_at'])
    .where('app_id', '=', appId)
    .where('id', '=', messageId)
    .executeTakeFirst()
  if (!row || row.channel_id !== channelId) {
    throw badRequest(`${what}_not_found`, `the ${what} message is not in this channel`)
  }
  if (mustBeTopLevel && row.parent_id)
    throw badRequest('nested_thread', 'replies cannot have replies; reply to the thread parent')
}
