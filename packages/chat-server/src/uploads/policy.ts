import { type ChatConfig, UPLOAD_CEILING_BYTES } from '../config.js'
import { HttpProblem } from '../shared/problems.js'

/** Content-type allowlist and per-type size limits (never above the 100 MB ceiling). */
export function uploadLimitFor(config: ChatConfig, contentType: string): number {
  const allowed = config.UPLOAD_ALLOWED_TYPES.split(',').map((t) => t.trim().toLowerCase())
  const type = contentType.split(';')[0]!.trim().toLowerCase()
  if (!allowed.includes(type)) {
    throw new HttpProblem(415, 'unsupported_media_type', `content type ${type || '(none)'} is not allowed`)
  }
  const limit = type.startsWith('image/')
    ? config.UPLOAD_IMAGE_MAX_BYTES
    : type.startsWith('video/')
      ? config.UPLOAD_VIDEO_MAX_BYTES
      : type.startsWith('audio/')
        ? config.UPLOAD_AUDIO_MAX_BYTES
        : config.UPLOAD_FILE_MAX_BYTES
  return Math.min(limit, UPLOAD_CEILING_BYTES)
}

export function tooLarge(limit: number): HttpProblem {
  return new HttpProblem(
    413,
    'upload_too_large',
    `the file is larger than the ${limit} byte limit for its type`,
  )
}

export function normalizeType(contentType: string): string {
  return contentType.split(';')[0]!.trim().toLowerCase()
}
