import type { BackoffOptions } from './types.js'

/** Queue names derived from a work queue; exported so operators and tests can find them. */
export const deadLetterQueueName = (queue: string) => `${queue}.dlq`
export const retryQueueName = (queue: string, delayMs: number) => `${queue}.retry.${delayMs}`

export const defaultBackoff: BackoffOptions = { baseMs: 1_000, factor: 2, maxMs: 5 * 60_000 }
export const defaultMaxAttempts = 5
export const defaultPrefetch = 10

/**
 * Delay before retry number `attempt` (the attempt that just failed). No jitter: on RabbitMQ each
 * distinct delay is one TTL queue, so delays must come from a small fixed set.
 */
export function backoffDelay(attempt: number, backoff: BackoffOptions): number {
  return Math.min(backoff.maxMs, Math.round(backoff.baseMs * backoff.factor ** (attempt - 1)))
}

export function resolveBackoff(partial?: Partial<BackoffOptions>): BackoffOptions {
  return { ...defaultBackoff, ...partial }
}
