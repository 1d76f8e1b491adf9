import type { RateLimitPolicy } from './policies.js'
import type { ConsumeResult } from './types.js'

export interface PolicyOutcome {
  policy: RateLimitPolicy
  result: ConsumeResult
}

const seconds = (ms: number) => Math.max(0, Math.ceil(ms / 1000))

/**
 * IETF RateLimit header fields (draft-ietf-httpapi-ratelimit-headers, the -Limit/-Remaining/
 * -Reset form). With several policies the fields describe the one closest to its limit, as the
 * draft asks; `RateLimit-Policy` lists them all as `limit;w=seconds`.
 */
export function rateLimitHeaders(outcomes: PolicyOutcome[]): Record<string, string> {
  const tightest = outcomes.reduce((a, b) => {
    if (a.result.allowed !== b.result.allowed) return a.result.allowed ? b : a
    return b.result.remaining < a.result.remaining ? b : a
  })
  const { policy, result } = tightest
  return {
    'ratelimit-limit': String(policy.limit),
    'ratelimit-remaining': String(result.remaining),
    'ratelimit-reset': String(seconds(result.allowed ? result.resetMs : result.retryAfterMs)),
    'ratelimit-policy': outcomes.map((o) => `${o.policy.limit};w=${seconds(o.policy.windowMs)}`).join(', '),
  }
}

export function retryAfterSeconds(outcomes: PolicyOutcome[]): number {
  return Math.max(1, ...outcomes.filter((o) => !o.result.allowed).map((o) => seconds(o.result.retryAfterMs)))
}
