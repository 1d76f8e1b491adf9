import type { Cache } from '../cache/types.js'

export const defaultIdempotencyTtlMs = 24 * 60 * 60_000

/**
 * Remembers idempotency keys in the cache (Redis in production, so every publisher instance
 * shares the memory). `claim` is atomic (SET NX): exactly one of two racing publishers wins.
 */
export class IdempotencyGuard {
  constructor(
    private readonly cache: Cache,
    private readonly ttlMs: number = defaultIdempotencyTtlMs,
  ) {}

  private key(queue: string, idempotencyKey: string): string {
    return `queue-idem:${queue}:${idempotencyKey}`
  }

  claim(queue: string, idempotencyKey: string): Promise<boolean> {
    return this.cache.set(this.key(queue, idempotencyKey), 1, { ifAbsent: true, ttlMs: this.ttlMs })
  }

  /** Undo a claim when the publish itself failed, so the caller's retry is not dropped. */
  async release(queue: string, idempotencyKey: string): Promise<void> {
    await this.cache.del(this.key(queue, idempotencyKey))
  }
}
