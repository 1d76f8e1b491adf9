import type { Cache } from '@platform/service-kit/cache'
import { generateNonce } from 'siwe'

export type NonceCheck = 'ok' | 'replayed' | 'unknown'

/**
 * SIWE nonces in the kit cache (Redis in production, so every replica sees them). A nonce is
 * issued with a TTL and taken with one atomic delete: of two concurrent sign-ins with the same
 * nonce exactly one wins. A short-lived "used" marker tells a replay from a nonce never issued.
 */
export class NonceStore {
  constructor(
    private readonly cache: Cache,
    private readonly ttlMs = 10 * 60 * 1000,
    private readonly prefix = 'dex:siwe:',
  ) {}

  async issue(): Promise<{ nonce: string; expiresAt: Date }> {
    const nonce = generateNonce()
    await this.cache.set(`${this.prefix}nonce:${nonce}`, 1, { ttlMs: this.ttlMs })
    return { nonce, expiresAt: new Date(Date.now() + this.ttlMs) }
  }

  async consume(nonce: string): Promise<NonceCheck> {
    if (await this.cache.del(`${this.prefix}nonce:${nonce}`)) {
      await this.cache.set(`${this.prefix}used:${nonce}`, 1, { ttlMs: this.ttlMs })
      return 'ok'
    }
    return (await this.cache.get(`${this.prefix}used:${nonce}`)) === undefined ? 'unknown' : 'replayed'
  }
}
