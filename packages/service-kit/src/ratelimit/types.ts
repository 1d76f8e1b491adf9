/** One bucket's parameters: `limit` tokens that refill evenly over `windowMs`. */
export interface BucketSpec {
  limit: number
  windowMs: number
  /** Tokens this request takes (default 1). */
  cost?: number
}

export interface ConsumeResult {
  allowed: boolean
  /** Whole tokens left after this request. */
  remaining: number
  /** Milliseconds until enough tokens exist for this cost; 0 when allowed. */
  retryAfterMs: number
  /** Milliseconds until the bucket is full again. */
  resetMs: number
}

/** A token bucket store. `consume` is atomic per key: concurrent callers never overspend. */
export interface RateLimitStore {
  consume(key: string, spec: BucketSpec): Promise<ConsumeResult>
  /**
   * In-process stores also consume synchronously: the limiter then sets its headers without a
   * promise per policy and the plugin's hook without an async round. Stores doing I/O leave it out.
   */
  consumeNow?(key: string, spec: BucketSpec): ConsumeResult
  close(): Promise<void>
}
