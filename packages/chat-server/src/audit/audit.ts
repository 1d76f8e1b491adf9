import { type AuditActor, type AuditEntry, AuditLog, auditContext } from '@platform/service-kit/audit'
import type { Database } from '@platform/service-kit/db'
import type { FastifyRequest } from 'fastify'
import type { Principal } from '../access/principal.js'

/** What a route says about an action; who and from where come from the request. */
export type ChatAuditEntry = Omit<AuditEntry, 'actor' | 'ip' | 'userAgent' | 'requestId'> & {
  /** Overrides the request's principal (e.g. token refresh, where the caller has no principal). */
  actor?: AuditActor
}

/**
 * ChatSDK's use of the kit audit log. Every entry carries the actor (operator, API key id or
 * user), the app, the client IP (honouring TRUST_PROXY), user agent and request id. Entries are
 * written after the change they describe succeeded and before the answer goes out, so a client
 * that saw success can rely on the record existing.
 */
export class ChatAudit {
  readonly log: AuditLog

  constructor(database: Database) {
    this.log = new AuditLog(database)
  }

  async record(request: FastifyRequest, entry: ChatAuditEntry): Promise<void> {
    const { actor, ...rest } = entry
    const principal = request.principal
    await this.log.record({
      ...rest,
      actor: actor ?? actorOf(principal),
      appId: entry.appId ?? (principal && principal.kind !== 'admin' ? principal.appId : undefined),
      ...auditContext(request),
      metadata: {
        ...(principal?.kind === 'user' ? { sessionId: principal.sessionId } : {}),
        ...entry.metadata,
      },
    })
  }
}

export function actorOf(principal: Principal | null): AuditActor {
  switch (principal?.kind) {
    case 'admin':
      return { type: 'admin' }
    case 'server':
      return { type: 'api_key', id: principal.keyId }
    case 'user':
      return { type: 'user', id: principal.userId }
    default:
      return { type: 'anonymous' }
  }
}
