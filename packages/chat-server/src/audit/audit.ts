import { type AuditActor, type AuditEntry, AuditLog, auditContext } from '@platform/service-kit/audit'
import type { Database } from '@platform/service-kit/db'
import type { FastifyRequest } from 'fastify'
import type { Kysely } from 'kysely'
import type { Principal } from '../access/principal.js'
import type { ChatContext } from '../shared/context.js'
import type { ChatDatabase } from '../shared/database.js'
import { HttpProblem } from '../shared/problems.js'
import { withTransaction } from '../shared/transaction.js'

/** What a route says about an action; who and from where come from the request. */
export type ChatAuditEntry = Omit<AuditEntry, 'actor' | 'ip' | 'userAgent' | 'requestId'> & {
  /** Overrides the request's principal (e.g. token refresh, where the caller has no principal). */
  actor?: AuditActor
}

/** What a change says about itself once made: one entry, several, or none (nothing to record). */
export type Describe<T> = (
  result: T,
  ctx: ChatContext,
) => ChatAuditEntry | ChatAuditEntry[] | null | Promise<ChatAuditEntry | ChatAuditEntry[] | null>

/**
 * ChatSDK's use of the kit audit log. Every entry carries the actor (operator, API key id or
 * user), the app, the client IP (honouring TRUST_PROXY), user agent and request id. A change and
 * its entries commit in one transaction (`change`): a client that saw success can rely on the
 * record, and a record that cannot be written takes the change back with it.
 */
export class ChatAudit {
  readonly log: AuditLog

  constructor(database: Database<ChatDatabase>) {
    this.log = new AuditLog(database)
  }

  /**
   * Makes a change and records it in one transaction. `make` gets a context bound to that
   * transaction and must do all its writes through it; `describe` turns the result into entries.
   * When an entry cannot be written, the change rolls back and the client is answered 503
   * `audit_unavailable`: nothing changed, so it may simply try again.
   */
  async change<T>(
    request: FastifyRequest,
    ctx: ChatContext,
    make: (ctx: ChatContext) => Promise<T>,
    describe: Describe<T>,
  ): Promise<T> {
    return withTransaction(ctx, async (tx) => {
      const result = await make(tx)
      const described = await describe(result, tx)
      for (const entry of described === null ? [] : [described].flat()) {
        try {
          await this.record(request, entry, tx.db)
        } catch (error) {
          request.log.error(
            { err: error, action: entry.action },
            'audit entry not written; the change is rolled back',
          )
          throw new HttpProblem(
            503,
            'audit_unavailable',
            'the change was not made because its audit record could not be written; try again',
          )
        }
      }
      return result
    })
  }

  /**
   * Writes one entry on its own: for events that change nothing (a refused delivery, a replayed
   * token), or inside a transaction the caller passes as `executor`.
   */
  async record(
    request: FastifyRequest,
    entry: ChatAuditEntry,
    executor?: Kysely<ChatDatabase>,
  ): Promise<void> {
    const { actor, ...rest } = entry
    const principal = request.principal
    await this.log.record(
      {
        ...rest,
        actor: actor ?? actorOf(principal),
        appId: entry.appId ?? (principal && principal.kind !== 'admin' ? principal.appId : undefined),
        ...auditContext(request),
        metadata: {
          ...(principal?.kind === 'user' ? { sessionId: principal.sessionId } : {}),
          ...entry.metadata,
        },
      },
      executor,
    )
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
