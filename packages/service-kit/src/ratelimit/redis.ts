import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { tokenBucketScript } from './token-bucket.lua.js'
import type { BucketSpec, ConsumeResult, RateLimitStore } from './types.js'

const scriptSha = createHash('sha1').update(tokenBucketScript).digest('hex')

export interface RedisRateLimitStoreOptions {
  redis: Redis
  keyPrefix?: string
  ownsClient?: boolean
}

/** Production store: one Lua script per request, so the check-and-take is atomic across nodes. */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly prefix: string

  constructor(private readonly options: RedisRateLimitStoreOptions) {
    this.prefix = options.keyPrefix ?? 'ratelimit:'
  }

  async consume(key: string, spec: BucketSpec): Promise<ConsumeResult> {
    const args = [1, this.prefix + key, spec.limit, spec.windowMs, spec.cost ?? 1] as const
    let reply: unknown
    try {
      // EVALSHA sends 40 bytes instead of the script on every request.
      reply = await this.options.redis.evalsha(scriptSha, ...args)
    } catch (error) {
      // After a restart or SCRIPT FLUSH the script is gone: EVAL loads and runs it once.
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error
      reply = await this.options.redis.eval(tokenBucketScript, ...args)
    }
    const [allowed, remaining, retryAfterMs, resetMs] = reply as number[]
    return {
      allowed: allowed === 1,
      remaining: remaining ?? 0,
      retryAfterMs: retryAfterMs ?? 0,
      resetMs: resetMs ?? 0,
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.options.redis.quit()
  }
}
