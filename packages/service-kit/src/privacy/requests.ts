import { sql } from 'kysely'
import type { AuditLog } from '../audit/audit-log.js'
import type { AuditActor } from '../audit/types.js'
import type { Database } from '../db/types.js'
import { uuidv7 } from '../http/uuidv7.js'
import { exportFiles } from './export-format.js'
import type { PrivacyRegistry } from './registry.js'
import type { ErasureResult, ExportFile, ExportFormat } from './types.js'

export type PrivacyRequestKind = 'access' | 'portability' | 'erasure'
export type PrivacyRequestStatus = 'requested' | 'verified' | 'processing' | 'done' | 'rejected'

export interface PrivacyRequest {
  id: string
  appId: string | null
  subjectId: string
  kind: PrivacyRequestKind
  status: PrivacyRequestStatus
  format: ExportFormat
  requestedBy: string
  requestedAt: string
  verifiedBy: string | null
  verifiedAt: string | null
  completedAt: string | null
  result: Record<string, unknown> | null
  error: string | null
}

/** Where a step came from, for the audit trail. */
export interface StepContext {
  actor: AuditActor
  ip?: string | undefined
  userAgent?: string | undefined
}

/** A step that the request's current status does not allow (e.g. fulfilling an unverified request). */
export class PrivacyRequestStateError extends Error {
  readonly code = 'invalid_transition'
  constructor(
    readonly requestId: string,
    readonly status: PrivacyRequestStatus | undefined,
    step: string,
  ) {
    super(
      status
        ? `cannot ${step} a privacy request that is ${status}`
        : `privacy request ${requestId} not found`,
    )
    this.name = 'PrivacyRequestStateError'
  }
}

export interface FulfilResult {
  request: PrivacyRequest
  /** The export for access/portability requests (handed to the subject, not stored). */
  files?: ExportFile[]
  erasure?: Record<string, ErasureResult>
}

/**
 * The data-subject request workflow: requested -> verified (identity checked by the product)
 * -> done, or rejected. Each step is a conditional UPDATE, so a step applies once even when
 * two operators or workers race, and each step is written to the audit log.
 */
export class PrivacyRequests {
  constructor(
    private readonly database: Database,
    private readonly registry: PrivacyRegistry,
    private readonly audit: AuditLog,
  ) {}

  async request(
    input: { subjectId: string; kind: PrivacyRequestKind; appId?: string; format?: ExportFormat },
    context: StepContext,
  ): Promise<PrivacyRequest> {
    const row = await this.database.kysely
      .insertInto('privacy_requests')
      .values({
        id: uuidv7(),
        app_id: input.appId ?? null,
        subject_id: input.subjectId,
        kind: input.kind,
        format: input.format ?? 'json',
        requested_by: actorLabel(context.actor),
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    const request = toRequest(row)
    await this.trail('requested', request, context)
    return request
  }

  async verify(id: string, context: StepContext & { method?: string }): Promise<PrivacyRequest> {
    const request = await this.transition(id, ['requested'], 'verified', 'verify', {
      verified_by: actorLabel(context.actor),
      verified_at: sql`now()`,
    })
    await this.trail('verified', request, context, context.method ? { method: context.method } : {})
    return request
  }

  async reject(id: string, context: StepContext & { reason: string }): Promise<PrivacyRequest> {
    const request = await this.transition(id, ['requested', 'verified'], 'rejected', 'reject', {
      error: context.reason,
      completed_at: sql`now()`,
    })
    await this.trail('rejected', request, context, { reason: context.reason })
    return request
  }

  /** Runs the exporters or erasers of a verified request and marks it done. */
  async fulfil(id: string, context: StepContext): Promise<FulfilResult> {
    const claimed = await this.transition(id, ['verified'], 'processing', 'fulfil', {})
    const subject = { subjectId: claimed.subjectId, appId: claimed.appId ?? undefined }
    try {
      let files: ExportFile[] | undefined
      let erasure: Record<string, ErasureResult> | undefined
      let summary: Record<string, unknown>
      if (claimed.kind === 'erasure') {
        erasure = await this.registry.eraseSubject(subject)
        summary = { erasers: erasure }
      } else {
        const data = await this.registry.exportSubject(subject)
        files = exportFiles(data, claimed.format)
        summary = {
          sections: Object.fromEntries(
            Object.entries(data.sections).map(([name, rows]) => [name, rows.length]),
          ),
          files: files.map((f) => f.name),
        }
      }
      const request = await this.transition(id, ['processing'], 'done', 'complete', {
        result: sql`${JSON.stringify(summary)}::jsonb`,
        error: null,
        completed_at: sql`now()`,
      })
      await this.trail('completed', request, context, summary)
      return { request, ...(files ? { files } : {}), ...(erasure ? { erasure } : {}) }
    } catch (error) {
      if (error instanceof PrivacyRequestStateError) throw error
      const message = error instanceof Error ? error.message : String(error)
      // Back to verified so the request can be retried once the cause is fixed.
      const request = await this.transition(id, ['processing'], 'verified', 'release', { error: message })
      await this.trail('failed', request, context, { error: message }, 'failure')
      throw error
    }
  }

  async get(id: string): Promise<PrivacyRequest | undefined> {
    const row = await this.database.kysely
      .selectFrom('privacy_requests')
      .selectAll()
      .where('id', '=', id)
      .executeTakeFirst()
    return row ? toRequest(row) : undefined
  }

  async list(filter: { subjectId?: string; status?: PrivacyRequestStatus; appId?: string } = {}) {
    let query = this.database.kysely.selectFrom('privacy_requests').selectAll()
    if (filter.subjectId !== undefined) query = query.where('subject_id', '=', filter.subjectId)
    if (filter.status !== undefined) query = query.where('status', '=', filter.status)
    if (filter.appId !== undefined) query = query.where('app_id', '=', filter.appId)
    return (await query.orderBy('id', 'desc').limit(1000).execute()).map(toRequest)
  }

  private async transition(
    id: string,
    from: PrivacyRequestStatus[],
    to: PrivacyRequestStatus,
    step: string,
    changes: Record<string, unknown>,
  ): Promise<PrivacyRequest> {
    const row = await this.database.kysely
      .updateTable('privacy_requests')
      .set({ ...changes, status: to, updated_at: sql`now()` })
      .where('id', '=', id)
      .where('status', 'in', from)
      .returningAll()
      .executeTakeFirst()
    if (row) return toRequest(row)
    throw new PrivacyRequestStateError(id, (await this.get(id))?.status, step)
  }

  private async trail(
    step: string,
    request: PrivacyRequest,
    context: StepContext,
    metadata: Record<string, unknown> = {},
    outcome: 'success' | 'failure' = 'success',
  ): Promise<void> {
    await this.audit.record({
      action: `privacy.request.${step}`,
      actor: context.actor,
      target: { type: 'privacy_request', id: request.id },
      appId: request.appId ?? undefined,
      outcome,
      ip: context.ip,
      userAgent: context.userAgent,
      metadata: { kind: request.kind, subjectId: request.subjectId, ...metadata },
    })
  }
}

function actorLabel(actor: AuditActor): string {
  return actor.id ? `${actor.type}:${actor.id}` : actor.type
}

const iso = (value: unknown) =>
  value === null || value === undefined ? null : new Date(value as string).toISOString()

function toRequest(row: Record<string, any>): PrivacyRequest {
  return {
    id: row.id,
    appId: row.app_id,
    subjectId: row.subject_id,
    kind: row.kind,
    status: row.status,
    format: row.format,
    requestedBy: row.requested_by,
    requestedAt: iso(row.requested_at)!,
    verifiedBy: row.verified_by,
    verifiedAt: iso(row.verified_at),
    completedAt: iso(row.completed_at),
    result: typeof row.result === 'string' ? JSON.parse(row.result) : row.result,
    error: row.error,
  }
}
