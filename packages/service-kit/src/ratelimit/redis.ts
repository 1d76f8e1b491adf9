import { createHash } from 'node:crypto'
import type { Redis } from 'ioredis'
import { tokenBucketScript } from './token-bucket.lua.js'
import type { BucketSpec, ConsumeResult, RateLimitStore } from './types.js'

const scriptSha = createHash('sha1').update(tokenBucketScript).digest('hex')

/** Buckets per script call: bounds how long one call holds Redis. */
const MAX_BATCH = 64

export interface RedisRateLimitStoreOptions {
  /** The commands the store uses: an ioredis client (tests may pass a stand-in). */
  redis: Pick<Redis, 'evalsha' | 'eval' | 'quit'>
  keyPrefix?: string
  ownsClient?: boolean
}

interface Pending {
  key: string
  spec: BucketSpec
  resolve(result: ConsumeResult): void
  reject(error: unknown): void
}

/**
 * Production store: the check-and-take runs in a Lua script, so it is atomic across nodes. Every
 * bucket asked for in the same tick goes in one script call: the limiter asks for all of a
 * request's policies at once (per IP, API key, user, ...), so a request costs one round trip
 * however many policies apply, and concurrent requests share calls too. A failed call fails every
 * bucket of its batch, and the limiter lets those requests through (its failOpen).
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly prefix: string
  private pending: Pending[] = []

  constructor(private readonly options: RedisRateLimitStoreOptions) {
    this.prefix = options.keyPrefix ?? 'ratelimit:'
  }

  consume(key: string, spec: BucketSpec): Promise<ConsumeResult> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) queueMicrotask(() => this.flush())
      this.pending.push({ key, spec, resolve, reject })
    })
  }

  private flush(): void {
    const queued = this.pending
    this.pending = []
    for (let start = 0; start < queued.length; start += MAX_BATCH)
      void this.run(queued.slice(start, start + MAX_BATCH))
  }

  private async run(batch: Pending[]): Promise<void> {
    const args: (string | number)[] = [batch.length]
    for (const { key } of batch) args.push(this.prefix + key)
    for (const { spec } of batch) args.push(spec.limit, spec.windowMs, spec.cost ?? 1)
    let reply: number[]
    try {
      reply = await this.call(args as [number, ...(string | number)[]])
    } catch (error) {
      for (const item of batch) item.reject(error)
      return
    }
    for (let i = 0; i < batch.length; i++) {
      batch[i]!.resolve({
        allowed: reply[i * 4] === 1,
        remaining: reply[i * 4 + 1] ?? 0,
        retryAfterMs: reply[i * 4 + 2] ?? 0,
        resetMs: reply[i * 4 + 3] ?? 0,
      })
    }
  }

  private async call(args: [number, ...(string | number)[]]): Promise<number[]> {
    const { redis } = this.options
    try {
      // EVALSHA sends 40 bytes instead of the script on every call.
      return (await redis.evalsha(scriptSha, ...args)) as number[]
    } catch (error) {
      // After a restart or SCRIPT FLUSH the script is gone: EVAL loads and runs it once.
      if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error
      return (await redis.eval(tokenBucketScript, ...args)) as number[]
    }
  }

  async close(): Promise<void> {
    if (this.options.ownsClient) await this.options.redis.quit()
  }
}
