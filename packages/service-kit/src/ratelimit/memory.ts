import { takeTokens } from './token-bucket.js'
import type { BucketSpec, ConsumeResult, RateLimitStore } from './types.js'

interface Bucket {
  tokens: number
  updatedAt: number
  /** When the bucket will be full again; a full bucket equals no bucket, so it can be dropped. */
  fullAt: number
}

/** Embedded store for one process. `now` is injectable so tests can drive the clock. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly buckets = new Map<string, Bucket>()
  private readonly sweeper: NodeJS.Timeout

  constructor(private readonly now: () => number = Date.now) {
    this.sweeper = setInterval(() => this.sweep(), 60_000).unref()
  }

  async consume(key: string, spec: BucketSpec): Promise<ConsumeResult> {
    return this.consumeNow(key, spec)
  }

  consumeNow(key: string, spec: BucketSpec): ConsumeResult {
    const now = this.now()
    const bucket = this.buckets.get(key)
    const { result, tokens } = takeTokens(bucket, spec, now)
    // The bucket is updated in place: one map write per new client, none per request.
    if (bucket) {
      bucket.tokens = tokens
      bucket.updatedAt = now
      bucket.fullAt = now + result.resetMs
    } else {
      this.buckets.set(key, { tokens, updatedAt: now, fullAt: now + result.resetMs })
    }
    return result
  }

  private sweep(): void {
    const now = this.now()
    for (const [key, bucket] of this.buckets) if (bucket.fullAt <= now) this.buckets.delete(key)
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    this.buckets.clear()
  }
}
