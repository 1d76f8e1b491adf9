import type { Message } from '../messages/serialize.js'
import type { ChatContext } from '../shared/context.js'

/** Fills url/thumbUrl of upload attachments with short-lived signed URLs (one query per page). */
export async function signAttachments(ctx: ChatContext, appId: string, messages: Message[]): Promise<void> {
  const ids = [
    ...new Set(
      messages.flatMap((m) => m.attachments.map((a) => a.uploadId).filter((id): id is string => Boolean(id))),
    ),
  ]
  if (ids.length === 0) return
  const rows = await ctx.db
    .selectFrom('uploads')
    .select(['id', 'storage_key', 'thumb_key', 'file_name'])
    .where('app_id', '=', appId)
    .where('id', 'in', ids)
    .execute()
  const byId = new Map(rows.map((row) => [row.id, row]))
  const ttl = ctx.config.SIGNED_URL_TTL_SECONDS
  for (const message of messages) {
    for (const attachment of message.attachments) {
      const row = attachment.uploadId ? byId.get(attachment.uploadId) : undefined
      if (!row) continue
      attachment.url = await ctx.storage.signedGetUrl(row.storage_key, ttl, row.file_name)
      if (row.thumb_key) attachment.thumbUrl = await ctx.storage.signedGetUrl(row.thumb_key, ttl)
    }
  }
}
