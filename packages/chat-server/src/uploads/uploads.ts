import type { AppPrincipal } from '../access/principal.js'
import { assertNotArchived, assertRead, assertWrite, channelAccess } from '../channels/access.js'
import { kindOf } from '../messages/attachments.js'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'
import { isUuid, uuidv7 } from '../shared/ids.js'
import { badRequest, conflict, notFound } from '../shared/problems.js'
import { iso } from '../shared/time.js'
import { inspectImage } from './images.js'
import { normalizeType, tooLarge, uploadLimitFor } from './policy.js'

export interface Upload {
  id: string
  channelId: string
  userId: string | null
  fileName: string
  contentType: string
  size: number | null
  width: number | null
  height: number | null
  hasThumbnail: boolean
  status: 'pending' | 'ready'
  createdAt: string
}

/**
 * Where an upload's bytes live: `{appId}/{channel}/{uploadId}`. The channel id is base64url
 * encoded, whose alphabet has neither `/` nor `.`, so no id (`..` included) can name a segment
 * outside its app's prefix, and the key needs no escaping in a URL path.
 */
export function keyFor(appId: string, channelId: string, uploadId: string): string {
  return `${appId}/${Buffer.from(channelId, 'utf8').toString('base64url')}/${uploadId}`
}

/**
 * The presigned PUT writes here, never to the served key: `complete` moves the bytes to the
 * served key and checks them there. A second PUT with the same signed URL after `complete` then
 * only writes a file nobody is ever given a URL to.
 */
const incomingKey = (key: string): string => `${key}.incoming`

async function assertUploader(ctx: ChatContext, who: AppPrincipal, channelId: string) {
  const access = await channelAccess(ctx, who, channelId)
  assertWrite(access)
  assertNotArchived(access)
}

/** Checks the type and size for a file about to arrive; answers the byte limit to enforce while reading. */
export async function prepareUpload(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
  contentType: string,
): Promise<number> {
  await assertUploader(ctx, who, channelId)
  return uploadLimitFor(ctx.config, contentType)
}

/** Stores a file received directly (multipart). Images are verified by decoding them. */
export async function storeUpload(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
  file: { fileName: string; contentType: string; bytes: Buffer },
): Promise<Upload> {
  const contentType = normalizeType(file.contentType)
  const limit = uploadLimitFor(ctx.config, contentType)
  if (file.bytes.length > limit) throw tooLarge(limit)
  if (file.bytes.length === 0) throw badRequest('empty_file', 'the file is empty')
  const id = uuidv7()
  const key = keyFor(who.appId, channelId, id)
  const image = contentType.startsWith('image/') ? await inspectImage(file.bytes) : undefined
  if (contentType.startsWith('image/') && !image)
    throw badRequest('invalid_image', 'the file is not a readable image')
  await ctx.storage.put(key, file.bytes, contentType)
  if (image) await ctx.storage.put(`${key}.thumb.webp`, image.thumbnail, 'image/webp')
  const row = await ctx.db
    .insertInto('uploads')
    .values({
      app_id: who.appId,
      id,
      channel_id: channelId,
      user_id: who.kind === 'user' ? who.userId : null,
      storage_key: key,
      file_name: file.fileName.slice(0, 255),
      content_type: contentType,
      size: file.bytes.length,
      width: image?.width ?? null,
      height: image?.height ?? null,
      thumb_key: image ? `${key}.thumb.webp` : null,
      status: 'ready',
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  ctx.metrics.uploads.inc({ kind: kindOf(contentType) })
  return toUpload(row)
}

/** Presigned flow, step 1: a pending upload and a URL to PUT the bytes to. */
export async function presignUpload(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
  input: { fileName: string; contentType: string; size: number },
) {
  await assertUploader(ctx, who, channelId)
  const contentType = normalizeType(input.contentType)
  const limit = uploadLimitFor(ctx.config, contentType)
  if (input.size > limit) throw tooLarge(limit)
  const id = uuidv7()
  const key = keyFor(who.appId, channelId, id)
  const row = await ctx.db
    .insertInto('uploads')
    .values({
      app_id: who.appId,
      id,
      channel_id: channelId,
      user_id: who.kind === 'user' ? who.userId : null,
      storage_key: key,
      file_name: input.fileName.slice(0, 255),
      content_type: contentType,
      size: input.size,
      status: 'pending',
    })
    .returningAll()
    .executeTakeFirstOrThrow()
  const ttl = ctx.config.SIGNED_URL_TTL_SECONDS
  const target = await ctx.storage.signedPutUrl(incomingKey(key), contentType, input.size, ttl)
  return {
    upload: toUpload(row),
    uploadUrl: target.url,
    method: 'PUT' as const,
    headers: target.headers,
    expiresIn: ttl,
  }
}

/** Presigned flow, step 2: verify what arrived (size, type, image decodes), then make the thumbnail. */
export async function completeUpload(ctx: ChatContext, who: AppPrincipal, uploadId: string): Promise<Upload> {
  const row = await loadUpload(ctx, who, uploadId)
  if (row.status === 'ready') return toUpload(row)
  if (who.kind === 'user' && row.user_id !== who.userId) throw notFound('upload')
  if (!(await ctx.storage.head(incomingKey(row.storage_key))))
    throw conflict('upload_missing', 'no bytes were uploaded yet')
  // From here on what is checked is what will be served: later PUTs land in the incoming key.
  await ctx.storage.move(incomingKey(row.storage_key), row.storage_key, row.content_type)
  const stored = await ctx.storage.head(row.storage_key)
  if (!stored) throw conflict('upload_missing', 'no bytes were uploaded yet')
  const limit = uploadLimitFor(ctx.config, row.content_type)
  const reject = async (problem: Error) => {
    await ctx.storage.delete(row.storage_key)
    await ctx.db.deleteFrom('uploads').where('app_id', '=', who.appId).where('id', '=', uploadId).execute()
    return problem
  }
  if (stored.size > limit) throw await reject(tooLarge(limit))
  let image: Awaited<ReturnType<typeof inspectImage>>
  if (row.content_type.startsWith('image/')) {
    const bytes = await ctx.storage.get(row.storage_key)
    image = bytes ? await inspectImage(bytes) : undefined
    if (!image) throw await reject(badRequest('invalid_image', 'the file is not a readable image'))
    await ctx.storage.put(`${row.storage_key}.thumb.webp`, image.thumbnail, 'image/webp')
  }
  const updated = await ctx.db
    .updateTable('uploads')
    .set({
      status: 'ready',
      size: stored.size,
      width: image?.width ?? null,
      height: image?.height ?? null,
      thumb_key: image ? `${row.storage_key}.thumb.webp` : null,
    })
    .where('app_id', '=', who.appId)
    .where('id', '=', uploadId)
    .returningAll()
    .executeTakeFirstOrThrow()
  ctx.metrics.uploads.inc({ kind: kindOf(row.content_type) })
  return toUpload(updated)
}

async function loadUpload(ctx: ChatContext, who: AppPrincipal, uploadId: string) {
  if (!isUuid(uploadId)) throw notFound('upload')
  const row = await ctx.db
    .selectFrom('uploads')
    .selectAll()
    .where('app_id', '=', who.appId)
    .where('id', '=', uploadId)
    .executeTakeFirst()
  if (!row) throw notFound('upload')
  const access = await channelAccess(ctx, who, row.channel_id)
  try {
    assertRead(access)
  } catch {
    throw notFound('upload')
  }
  if (who.kind === 'user' && !access.isMember && !access.isServer) throw notFound('upload')
  return row
}

/** A short-lived signed URL to the file or its thumbnail; channel members only. */
export async function uploadUrl(
  ctx: ChatContext,
  who: AppPrincipal,
  uploadId: string,
  variant: 'original' | 'thumbnail',
) {
  const row = await loadUpload(ctx, who, uploadId)
  if (row.status !== 'ready') throw conflict('upload_incomplete', 'the upload has not completed')
  const key = variant === 'thumbnail' ? row.thumb_key : row.storage_key
  if (!key) throw notFound('thumbnail')
  const ttl = ctx.config.SIGNED_URL_TTL_SECONDS
  return {
    upload: toUpload(row),
    url: await ctx.storage.signedGetUrl(key, ttl, row.file_name),
    expiresAt: new Date(Date.now() + ttl * 1000).toISOString(),
  }
}

export function toUpload(row: Row<'uploads'>): Upload {
  return {
    id: row.id,
    channelId: row.channel_id,
    userId: row.user_id,
    fileName: row.file_name,
    contentType: row.content_type,
    size: row.size === null ? null : Number(row.size),
    width: row.width,
    height: row.height,
    hasThumbnail: row.thumb_key !== null,
    status: row.status,
    createdAt: iso(row.created_at),
  }
}
