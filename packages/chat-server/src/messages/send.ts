import type { AppPrincipal } from '../access/principal.js'
import { channelAccess } from '../channels/access.js'
import type { ProfanityFilter } from '../moderation/profanity.js'
import type { ChatContext } from '../shared/context.js'
import { badRequest, conflict } from '../shared/problems.js'
import { appSettings } from '../tenants/apps.js'
import { missingUsers } from '../users/users.js'
import { resolveAttachments } from './attachments.js'
import { assertMaySend, type SendMode } from './send-policy.js'
import type { Attachment, MessageRow } from './serialize.js'
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
 * Checks a send and hands it to the group-commit writer. Returns the stored row; `created` is
 * false when clientMessageId was seen before.
 *
 * A plain message (text, custom data, external links) costs one batched statement: the writer
 * checks membership, bans, mutes, blocks, archive and slow mode in the same statement that
 * inserts it, so nothing is read before and a ban committed before the write always holds.
 * A message that references other rows (thread parent, quote, mentions, uploads), or whose
 * content is refused, first reads the caller's access so that a non-member learns nothing about
 * the channel (404 before any 400), exactly as before; the writer still re-checks atomically.
 */
export async function sendMessage(
  ctx: ChatContext,
  deps: SendDeps,
  who: AppPrincipal,
  channelId: string,
  input: SendInput,
): Promise<{ row: MessageRow; created: boolean }> {
  const sender = who.kind === 'user' ? who.userId : (input.userId ?? null)
  const mode: SendMode = who.kind === 'user' ? 'user' : sender ? 'on_behalf' : 'server'
  const attachments = input.attachments ?? []
  const mentions = [...new Set(input.mentions ?? [])]

  let text = ''
  let contentProblem: unknown
  try {
    text = await checkContent(ctx, deps, who.appId, input.text ?? '', attachments.length)
  } catch (problem) {
    contentProblem = problem
  }
  const references =
    Boolean(input.parentId || input.quotedMessageId) || mentions.length > 0 || attachments.length > 0
  // attachments always count as references, so they are resolved whenever there are any
  let resolved: Attachment[] = []
  if (contentProblem !== undefined || references) {
    const actingAs: AppPrincipal = sender
      ? { kind: 'user', appId: who.appId, userId: sender, sessionId: '' }
      : who
    assertMaySend(await channelAccess(ctx, actingAs, channelId), mode)
    if (contentProblem !== undefined) throw contentProblem
    if (input.parentId) await assertSameChannel(ctx, who.appId, channelId, input.parentId, 'parent', true)
    if (input.quotedMessageId)
      await assertSameChannel(ctx, who.appId, channelId, input.quotedMessageId, 'quoted', false)
    if (mentions.length > 0) await assertUsersExist(ctx, who.appId, mentions)
    resolved = await resolveAttachments(ctx, who.appId, channelId, attachments)
  }

  const { row, repeat } = await deps.writer.write({
    appId: who.appId,
    channelId,
    userId: sender,
    mode,
    text,
    parentId: input.parentId ?? null,
    quotedId: input.quotedMessageId ?? null,
    mentions,
    attachments: resolved,
    custom: input.custom ?? {},
    clientMessageId: input.clientMessageId ?? null,
  })
  if (row.channel_id !== channelId) {
    throw conflict('client_message_id_reused', 'this clientMessageId was already used for another channel')
  }
  if (!repeat) ctx.metrics.messagesSent.inc()
  return { row, created: !repeat }
}

/** Text rules that need no database: not empty, not too long, the app's profanity setting. */
async function checkContent(
  ctx: ChatContext,
  deps: SendDeps,
  appId: string,
  rawText: string,
  attachmentCount: number,
): Promise<string> {
  if (rawText.trim() === '' && attachmentCount === 0) {
    throw badRequest('empty_message', 'a message needs text or attachments')
  }
  if (rawText.length > ctx.config.MESSAGE_MAX_LENGTH) {
    throw badRequest('text_too_long', `text is longer than ${ctx.config.MESSAGE_MAX_LENGTH} characters`)
  }
  const settings = await appSettings(ctx, appId)
  return deps.profanity(rawText, settings.profanity ?? 'off')
}

async function assertUsersExist(ctx: ChatContext, appId: string, ids: string[]) {
  const missing = await missingUsers(ctx, appId, ids)
  if (missing.length > 0)
    throw badRequest('unknown_mentions', `mentioned users do not exist: ${missing.join(', ')}`)
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
