import type { BucketSpec, ConsumeResult } from './types.js'

/**
 * The token bucket arithmetic, used by the in-memory store. The Redis Lua script
 * (token-bucket.lua.ts) is the same algorithm line for line; keep them in step.
 */
export function takeTokens(
  state: { tokens: number; updatedAt: number } | undefined,
  spec: BucketSpec,
  now: number,
): { result: ConsumeResult; tokens: number } {
  const cost = spec.cost ?? 1
  const ratePerMs = spec.limit / spec.windowMs
  let tokens = spec.limit
  if (state) tokens = Math.min(spec.limit, state.tokens + Math.max(0, now - state.updatedAt) * ratePerMs)
  let allowed = false
  let retryAfterMs = 0
  if (tokens >= cost) {
    tokens -= cost
    allowed = true
  } else {
    retryAfterMs = Math.ceil((cost - tokens) / ratePerMs)
  }
  const resetMs = Math.ceil((spec.limit - tokens) / ratePerMs)
  return { result: { allowed, remaining: Math.floor(tokens), retryAfterMs, resetMs }, tokens }
}
