import { EventEmitter } from 'node:events'
import { Counter, type Registry } from 'prom-client'
import type { DeviceInfo } from './device.js'

export const SUSPICIOUS_SIGNALS = ['new_device', 'ip_network_change', 'session_burst', 'replay'] as const
export type SuspiciousSignal = (typeof SUSPICIOUS_SIGNALS)[number]

export interface SuspiciousEvent {
  signal: SuspiciousSignal
  userId: string
  /** The session concerned; for replay, the live session the rotated-out id led to. */
  sessionId: string
  ip?: string | undefined
  device?: DeviceInfo | undefined
  detail: string
  at: string
  /** Whether the revocation policy ended the session. */
  revoked: boolean
}

/** Which signals end the session: a list, or a function for finer rules. */
export type RevocationPolicy = SuspiciousSignal[] | ((event: Omit<SuspiciousEvent, 'revoked'>) => boolean)

export interface SuspiciousActivityOptions {
  /** The app's Registry; the counter is created on it (or reused when already there). */
  registry?: Registry | undefined
  /** Audit hook: awaited, so a security event is written before the request goes on. */
  onSuspicious?: ((event: SuspiciousEvent) => void | Promise<void>) | undefined
  revokeOn?: RevocationPolicy | undefined
}

const METRIC = 'session_suspicious_events_total'

/** Counts, announces and judges suspicious-activity signals. Listen with `.on('suspicious', fn)`. */
export class SuspiciousActivity extends EventEmitter<{ suspicious: [SuspiciousEvent] }> {
  private readonly counter: Counter<'signal'> | undefined

  constructor(private readonly options: SuspiciousActivityOptions = {}) {
    super()
    const registry = options.registry
    if (registry) {
      this.counter =
        (registry.getSingleMetric(METRIC) as Counter<'signal'> | undefined) ??
        new Counter({
          name: METRIC,
          help: 'Suspicious session activity signals, by signal',
          labelNames: ['signal'],
          registers: [registry],
        })
      // Every signal is exported from the start, at 0: a dashboard shows "none yet", not "no data".
      for (const signal of SUSPICIOUS_SIGNALS) this.counter.inc({ signal }, 0)
    }
  }

  /** Records the signal and returns the event, with `revoked` set from the policy. */
  async report(event: Omit<SuspiciousEvent, 'revoked' | 'at'>): Promise<SuspiciousEvent> {
    const base = { ...event, at: new Date().toISOString() }
    const policy = this.options.revokeOn
    const revoked = typeof policy === 'function' ? policy(base) : (policy?.includes(event.signal) ?? false)
    const full: SuspiciousEvent = { ...base, revoked }
    this.counter?.inc({ signal: event.signal })
    this.emit('suspicious', full)
    await this.options.onSuspicious?.(full)
    return full
  }
}
