import type { SuspiciousEvent } from '../sessions/signals.js'
import type { AuditLog } from './audit-log.js'

/**
 * An `onSuspicious` hook for the session manager that writes each signal to the audit log,
 * e.g. `new SessionManager({ ..., onSuspicious: auditSuspiciousSessions(audit, appId) })`.
 */
export function auditSuspiciousSessions(audit: AuditLog, appId?: string) {
  return async (event: SuspiciousEvent): Promise<void> => {
    await audit.record({
      action: `session.suspicious.${event.signal}`,
      actor: { type: 'user', id: event.userId },
      // A session id is a bearer secret: the log keeps only a prefix to correlate entries.
      target: { type: 'session', id: event.sessionId.slice(0, 8) },
      appId,
      outcome: event.revoked ? 'denied' : 'success',
      ip: event.ip,
      metadata: {
        signal: event.signal,
        detail: event.detail,
        revoked: event.revoked,
        device: event.device ?? null,
      },
    })
  }
}
