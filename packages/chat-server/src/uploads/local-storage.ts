import { createHmac } from 'node:crypto'
import { mkdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises'
import { dirname, join, resolve, sep } from 'node:path'
import { safeEqual } from '../shared/crypto.js'
import type { FileStorage } from './storage.js'

/**
 * Local-disk driver. Signed URLs point at this server's /v1/files/{key} route and carry an expiry
 * and an HMAC over (method, key, expiry, content type), checked by `verify`.
 */
export class LocalStorage implements FileStorage {
  readonly kind = 'local' as const
  private readonly root: string

  constructor(
    root: string,
    private readonly secret: string,
    /** Prefix for signed URLs (PUBLIC_URL); empty = a path relative to the API origin. */
    private readonly baseUrl = '',
  ) {
    this.root = resolve(root)
  }

  private path(key: string): string {
    const full = resolve(join(this.root, key))
    if (!full.startsWith(this.root + sep)) throw new Error('storage key escapes the upload directory')
    return full
  }

  async put(key: string, body: Buffer, contentType: string): Promise<void> {
    const path = this.path(key)
    await mkdir(dirname(path), { recursive: true })
    await writeFile(path, body)
    await writeFile(`${path}.type`, contentType)
  }

  async get(key: string): Promise<Buffer | undefined> {
    try {
      return await readFile(this.path(key))
    } catch {
      return undefined
    }
  }

  async head(key: string) {
    try {
      const info = await stat(this.path(key))
      const contentType = await readFile(`${this.path(key)}.type`, 'utf8').catch(() => undefined)
      return { size: info.size, contentType }
    } catch {
      return undefined
    }
  }

  async delete(key: string): Promise<void> {
    await rm(this.path(key), { force: true })
    await rm(`${this.path(key)}.type`, { force: true })
  }

  async move(from: string, to: string, contentType: string): Promise<void> {
    const target = this.path(to)
    await mkdir(dirname(target), { recursive: true })
    await rename(this.path(from), target)
    await writeFile(`${target}.type`, contentType)
    await rm(`${this.path(from)}.type`, { force: true })
  }

  async signedGetUrl(key: string, ttlSeconds: number): Promise<string> {
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds
    return `${this.baseUrl}/v1/files/${key}?exp=${exp}&sig=${this.sign('GET', key, exp, '')}`
  }

  async signedPutUrl(key: string, contentType: string, _size: number, ttlSeconds: number) {
    const exp = Math.floor(Date.now() / 1000) + ttlSeconds
    const url = `${this.baseUrl}/v1/files/${key}?exp=${exp}&sig=${this.sign('PUT', key, exp, contentType)}`
    return { url, headers: { 'content-type': contentType } }
  }

  /** True when the signature matches and has not expired. */
  verify(method: 'GET' | 'PUT', key: string, exp: number, sig: string, contentType = ''): boolean {
    if (!Number.isFinite(exp) || exp < Date.now() / 1000) return false
    return safeEqual(sig, this.sign(method, key, exp, contentType))
  }

  private sign(method: string, key: string, exp: number, contentType: string): string {
    return createHmac('sha256', this.secret)
      .update(`${method}\n${key}\n${exp}\n${contentType}`)
      .digest('base64url')
  }
}
