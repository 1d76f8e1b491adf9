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
  const headers: Record<string, string> = {}
  const collect = {
    header(name: string, value: string) {
      headers[name] = value
    },
  }
  setRateLimitHeaders(collect, outcomes)
  return headers
}

/** Sets the same fields on a reply one by one, without building an object per request. */
export function setRateLimitHeaders(
  reply: { header(name: string, value: string): unknown },
  outcomes: PolicyOutcome[],
): void {
  const tightest =
    outcomes.length === 1
      ? outcomes[0]!
      : outcomes.reduce((a, b) => {
          if (a.result.allowed !== b.result.allowed) return a.result.allowed ? b : a
          return b.result.remaining < a.result.remaining ? b : a
        })
  const { policy, result } = tightest
  reply.header('ratelimit-limit', String(policy.limit))
  reply.header('ratelimit-remaining', String(result.remaining))
  reply.header('ratelimit-reset', String(seconds(result.allowed ? result.resetMs : result.retryAfterMs)))
  reply.header(
    'ratelimit-policy',
    outcomes.length === 1
      ? policyField(policy)
      : outcomes.map((outcome) => policyField(outcome.policy)).join(', '),
  )
}

/** `limit;w=seconds`, remembered per policy object since policies are long-lived. */
const policyFields = new WeakMap<RateLimitPolicy, string>()
function policyField(policy: RateLimitPolicy): string {
  let field = policyFields.get(policy)
  if (field === undefined) {
    field = `${policy.limit};w=${seconds(policy.windowMs)}`
    policyFields.set(policy, field)
  }
  return field
}

export function retryAfterSeconds(outcomes: PolicyOutcome[]): number {
  return Math.max(1, ...outcomes.filter((o) => !o.result.allowed).map((o) => seconds(o.result.retryAfterMs)))
}
