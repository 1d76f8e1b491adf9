import type { ChatContext } from '../shared/context.js'
import { isUuid } from '../shared/ids.js'
import { badRequest } from '../shared/problems.js'
import type { Attachment } from './serialize.js'

/**
 * Attachments either point at an upload of this channel (the server fills in what it measured:
 * type, size, dimensions) or at an external http(s) URL. Upload bytes are never linked directly:
 * readers ask for a short-lived signed URL.
 */
export async function resolveAttachments(
  ctx: ChatContext,
  appId: string,
  channelId: string,
  attachments: Partial<Attachment>[],
): Promise<Attachment[]> {
  const uploadIds = attachments.map((a) => a.uploadId).filter((id): id is string => Boolean(id))
  if (uploadIds.some((id) => !isUuid(id)))
    throw badRequest('upload_not_found', 'an attachment names an unknown upload')
  const uploads =
    uploadIds.length === 0
      ? []
      : await ctx.db
          .selectFrom('uploads')
          .selectAll()
          .where('app_id', '=', appId)
          .where('id', 'in', uploadIds)
          .execute()
  return attachments.map((attachment) => {
    if (!attachment.uploadId) {
      if (!attachment.url || !/^https?:\/\//i.test(attachment.url)) {
        throw badRequest('attachment_invalid', 'an attachment needs an uploadId or an http(s) url')
      }
      return {
        type: attachment.type ?? 'link',
        url: attachment.url,
        ...(attachment.name ? { name: attachment.name } : {}),
        ...(attachment.custom ? { custom: attachment.custom } : {}),
      }
    }
    const upload = uploads.find((row) => row.id === attachment.uploadId)
    if (!upload || upload.channel_id !== channelId) {
      throw badRequest('upload_not_found', 'an attachment names an upload that is not in this channel')
    }
    if (upload.status !== 'ready') throw badRequest('upload_incomplete', 'the upload has not completed')
    return {
      type: kindOf(upload.content_type),
      uploadId: upload.id,
      name: upload.file_name,
      mimeType: upload.content_type,
      size: Number(upload.size),
      ...(upload.width && upload.height ? { width: upload.width, height: upload.height } : {}),
      ...(attachment.custom ? { custom: attachment.custom } : {}),
    }
  })
}

export function kindOf(contentType: string): Attachment['type'] {
  if (contentType.startsWith('image/')) return 'image'
  if (contentType.startsWith('video/')) return 'video'
  if (contentType.startsWith('audio/')) return 'audio'
  return 'file'
}
