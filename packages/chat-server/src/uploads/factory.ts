import type { ChatConfig } from '../config.js'
import { LocalStorage } from './local-storage.js'
import { S3Storage } from './s3-storage.js'
import type { FileStorage } from './storage.js'

/** S3 when S3_BUCKET is set, local disk otherwise. */
export function createStorage(config: ChatConfig): FileStorage {
  if (config.S3_BUCKET) {
    return new S3Storage({
      bucket: config.S3_BUCKET,
      region: config.S3_REGION,
      endpoint: config.S3_ENDPOINT,
      accessKeyId: config.S3_ACCESS_KEY_ID,
      secretAccessKey: config.S3_SECRET_ACCESS_KEY,
      forcePathStyle: config.S3_FORCE_PATH_STYLE,
    })
  }
  return new LocalStorage(config.UPLOAD_DIR, config.FILE_URL_SECRET, config.PUBLIC_URL ?? '')
}
