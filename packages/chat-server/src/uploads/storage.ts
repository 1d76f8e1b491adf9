/**
 * Where upload bytes live. Two drivers share this interface: local disk (embedded mode) and any
 * S3-compatible store. Bytes are only ever read by clients through short-lived signed URLs.
 */
export interface FileStorage {
  readonly kind: 'local' | 's3'
  put(key: string, body: Buffer, contentType: string): Promise<void>
  get(key: string): Promise<Buffer | undefined>
  head(key: string): Promise<{ size: number; contentType: string | undefined } | undefined>
  delete(key: string): Promise<void>
  /** Moves an object to another key, to be served with `contentType` from there. */
  move(from: string, to: string, contentType: string): Promise<void>
  signedGetUrl(key: string, ttlSeconds: number, fileName?: string): Promise<string>
  /** URL a client PUTs the bytes to (presigned flow); headers must be sent as given. */
  signedPutUrl(
    key: string,
    contentType: string,
    size: number,
    ttlSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string> }>
}
