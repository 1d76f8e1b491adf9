import { createHash } from 'node:crypto'
import { connectRedis } from '@platform/service-kit/cache'
import {
  type BucketSpec,
  type ConsumeResult,
  MemoryRateLimitStore,
  type RateLimitStore,
} from '@platform/service-kit/ratelimit'
import type { Redis } from 'ioredis'

/**
 * The kit's Redis token bucket (service-kit/src/ratelimit/token-bucket.lua.ts) for several buckets
 * in one script call: the same algorithm, the same hash layout (`tokens`, `ts`), the same key
 * prefixing and the same server clock, so this store and the kit's RedisRateLimitStore share
 * buckets (batched-rate-limits.test.ts runs them side by side). Buckets are taken in KEYS order, so
 * a key named twice is taken twice, as two calls would.
 *
 * KEYS: bucket keys; ARGV: limit, windowMs, cost for each key in turn.
 * Returns allowed 0|1, remaining, retryAfterMs, resetMs for each key in turn.
 */
export const batchedTokenBucketScript = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + math.floor(tonumber(t[2]) / 1000)
local out = {}
for i, key in ipairs(KEYS) do
  local limit = tonumber(ARGV[i * 3 - 2])
  local window = tonumber(ARGV[i * 3 - 1])
  local cost = tonumber(ARGV[i * 3])
  local rate = limit / window
  local state = redis.call('HMGET', key, 'tokens', 'ts')
  local tokens = limit
  if state[1] then
    tokens = math.min(limit, tonumber(state[1]) + math.max(0, now - tonumber(state[2])) * rate)
  end
  local allowed = 0
  local retry = 0
  if tokens >= cost then
    tokens = tokens - cost
    allowed = 1
  else
    retry = math.ceil((cost - tokens) / rate)
  end
  local reset = math.ceil((limit - tokens) / rate)
  redis.call('HSET', key, 'tokens', tostring(tokens), 'ts', tostring(now))
  redis.call('PEXPIRE', key, math.max(reset, 1))
  out[#out + 1] = allowed
  out[#out + 1] = math.floor(tokens)
  out[#out + 1] = retry
  out[#out + 1] = reset
end
return out
`

const scriptSha = createHash('sha1').update(batchedTokenBucketScript).digest('hex')

/** Buckets per script call: bounds how long one call holds Redis. */
const MAX_BATCH = 64

interface Pending {
  key: string
  spec: BucketSpec
  resolve(result: ConsumeResult): void
  reject(error: unknown): void
}

/** The Redis commands the store uses (an ioredis client; tests pass a fake). */
export type ScriptRunner = Pick<Redis, 'evalsha' | 'eval' | 'quit'>

/**
 * A Redis rate-limit store that sends every bucket asked for in the same tick as one EVALSHA. The
 * kit's limiter asks for all of a request's policies at once, so a message send (per-user and
 * per-send buckets) costs one script call instead of two; concurrent requests asking in the same
 * tick share a call too. Each bucket keeps its own answer and the check-and-take stays atomic per
 * bucket. A failed call fails every request of the batch, and the limiter lets them through (its
 * failOpen), as it does for the kit's store.
 *
 * Belongs in the kit (a `consumeMany` on RateLimitStore); it lives here until the kit has it.
 * Like the kit's stores it needs one Redis (or Sentinel), not Redis Cluster: the keys of a batch
 * are not in one hash slot.
 */
export class BatchedRedisRateLimitStore implements RateLimitStore {
  private pending: Pending[] = []

  constructor(
    private readonly redis: ScriptRunner,
    private readonly prefix = 'ratelimit:',
    private readonly ownsClient = false,
  ) {}

  consume(key: string, spec: BucketSpec): Promise<ConsumeResult> {
    return new Promise((resolve, reject) => {
      if (this.pending.length === 0) queueMicrotask(() => this.flush())
      this.pending.push({ key, spec, resolve, reject })
    })
  }

  private flush(): void {
    const queued = this.pending
    this.pending = []
    for (let start = 0; start < queued.length; start += MAX_BATCH) {
      this.run(queued.slice(start, start + MAX_BATCH)).catch(() => {})
    }
  }

  private async run(batch: Pending[]): Promise<void> {
    const args: (string | number)[] = [batch.length]
    for (const { key } of batch) args.push(this.prefix + key)
    for (const { spec } of batch) args.push(spec.limit, spec.windowMs, spec.cost ?? 1)
    let reply: number[]
    try {
      try {
        // EVALSHA sends 40 bytes instead of the script on every call
        reply = (await this.redis.evalsha(scriptSha, ...(args as [number, ...string[]]))) as number[]
      } catch (error) {
        // after a restart or SCRIPT FLUSH the script is gone: EVAL loads and runs it once
        if (!(error instanceof Error) || !error.message.includes('NOSCRIPT')) throw error
        reply = (await this.redis.eval(
          batchedTokenBucketScript,
          ...(args as [number, ...string[]]),
        )) as number[]
      }
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

  async close(): Promise<void> {
    if (this.ownsClient) await this.redis.quit()
  }
}

/** Redis on `redisUrl` (batched), else in memory: the chat server's rate-limit store. */
export function createChatRateLimitStore(options: {
  redisUrl?: string | undefined
  keyPrefix: string
}): RateLimitStore {
  if (!options.redisUrl) return new MemoryRateLimitStore()
  return new BatchedRedisRateLimitStore(connectRedis(options.redisUrl), options.keyPrefix, true)
}
