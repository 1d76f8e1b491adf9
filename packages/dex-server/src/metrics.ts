import { Counter, type Registry } from 'prom-client'

/**
 * Soba DEX product counters that the kit does not already give (HTTP, queue, rate limits and
 * suspicious-session signals come from the kit), read by the "Sessions and security" dashboard.
 * Every known label value is exported from the start at 0, so a panel shows "none yet" rather
 * than "no data" before the first sign-in.
 */
export const SIWE_OUTCOMES = ['signed_in', 'rejected', 'failed'] as const
export type SiweOutcome = (typeof SIWE_OUTCOMES)[number]

export const SESSION_EVENTS = ['opened', 'signed_out', 'expired', 'revoked'] as const
export type SessionEvent = (typeof SESSION_EVENTS)[number]

export interface DexMetrics {
  /** A POST /v1/auth/verify ended: a session, a refused message (4xx), or an error. */
  siwe(outcome: SiweOutcome): void
  session(event: SessionEvent): void
}

/** The counters on the app's registry (reused when another plugin created them first); no-ops without one. */
export function dexMetrics(registry: Registry | undefined): DexMetrics {
  if (!registry) return { siwe() {}, session() {} }
  const siwe = counter(registry, 'siwe_verifications_total', 'SIWE sign-in attempts, by outcome', 'outcome')
  const sessions = counter(
    registry,
    'dex_sessions_total',
    'Wallet sessions opened and ended, by event',
    'event',
  )
  for (const outcome of SIWE_OUTCOMES) siwe.inc({ outcome }, 0)
  for (const event of SESSION_EVENTS) sessions.inc({ event }, 0)
  return {
    siwe: (outcome) => siwe.inc({ outcome }),
    session: (event) => sessions.inc({ event }),
  }
}

/** The outcome of a failed verification: a refusal the caller can fix (4xx) or our failure. */
export function siweFailure(error: unknown): SiweOutcome {
  const status = (error as { status?: unknown }).status
  return typeof status === 'number' && status >= 400 && status < 500 ? 'rejected' : 'failed'
}

function counter<L extends string>(registry: Registry, name: string, help: string, label: L): Counter<L> {
  return (
    (registry.getSingleMetric(name) as Counter<L> | undefined) ??
    new Counter({ name, help, labelNames: [label], registers: [registry] })
  )
}
