export type AuditOutcome = 'success' | 'failure' | 'denied'

/** Who did it: a user, an API key, an operator, or the system itself (jobs, policies). */
export interface AuditActor {
  type: 'user' | 'api_key' | 'admin' | 'system' | (string & {})
  id?: string | undefined
}

export interface AuditTarget {
  type: string
  id: string
}

export interface AuditEntry {
  /** Dotted verb, e.g. `session.replay_detected`, `privacy.request.verified`. */
  action: string
  actor: AuditActor
  target?: AuditTarget | undefined
  appId?: string | undefined
  outcome?: AuditOutcome | undefined
  ip?: string | undefined
  userAgent?: string | undefined
  requestId?: string | undefined
  metadata?: Record<string, unknown> | undefined
}

export interface AuditRecord extends Required<Pick<AuditEntry, 'action' | 'actor' | 'outcome'>> {
  id: string
  occurredAt: string
  appId: string | null
  target: AuditTarget | null
  ip: string | null
  userAgent: string | null
  requestId: string | null
  metadata: Record<string, unknown>
}

export interface AuditQuery {
  appId?: string
  actorId?: string
  actorType?: string
  targetType?: string
  targetId?: string
  action?: string
  /** Inclusive lower bound. */
  from?: Date
  /** Exclusive upper bound. */
  to?: Date
  /** Page size, newest first (default 100, at most 1000). */
  limit?: number
  /** Continue after this record id (the last one of the previous page). */
  after?: string
}
