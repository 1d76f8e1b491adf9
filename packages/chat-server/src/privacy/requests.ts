import type { AuditLog } from '@platform/service-kit/audit'
import { auditContext } from '@platform/service-kit/audit'
import type { Database } from '@platform/service-kit/db'
import {
  type ExportFormat,
  type FulfilResult,
  type PrivacyRegistry,
  type PrivacyRequest,
  type PrivacyRequestKind,
  PrivacyRequestStateError,
  type PrivacyRequestStatus,
  PrivacyRequests,
  type StepContext,
} from '@platform/service-kit/privacy'
import type { FastifyRequest } from 'fastify'
import { actorOf } from '../audit/audit.js'
import { isUuid } from '../shared/ids.js'
import { conflict, notFound } from '../shared/problems.js'

/**
 * ChatSDK's data-subject requests on the kit workflow (requested -> verified -> done, or
 * rejected), every step in the audit log with actor, IP and request id.
 *
 * Who verifies: ChatSDK has no passwords or e-mail; the customer's backend is the identity
 * authority. A request the user files with their token waits for the backend to verify it (its
 * own e-mail link, support check, ...) before anyone can fulfil it. Self-service export/erase
 * routes run all three steps at once, recording the credential that authenticated the caller as
 * the verification method; they exist so a signed-in user can act without a backend round trip.
 */
export class ChatPrivacyRequests {
  readonly workflow: PrivacyRequests

  constructor(database: Database, registry: PrivacyRegistry, audit: AuditLog) {
    this.workflow = new PrivacyRequests(database, registry, audit)
  }

  static step(request: FastifyRequest): StepContext {
    const { ip, userAgent } = auditContext(request)
    return { actor: actorOf(request.principal), ip, userAgent }
  }

  file(
    request: FastifyRequest,
    input: { appId: string; subjectId: string; kind: PrivacyRequestKind; format?: ExportFormat | undefined },
  ): Promise<PrivacyRequest> {
    return this.workflow.request(
      { appId: input.appId, subjectId: input.subjectId, kind: input.kind, format: input.format ?? 'json' },
      ChatPrivacyRequests.step(request),
    )
  }

  /** One call, three audited steps: for callers already authenticated as the subject or their app. */
  async immediate(
    request: FastifyRequest,
    input: { appId: string; subjectId: string; kind: PrivacyRequestKind; format?: ExportFormat | undefined },
    method: string,
  ): Promise<FulfilResult> {
    const filed = await this.file(request, input)
    await this.workflow.verify(filed.id, { ...ChatPrivacyRequests.step(request), method })
    return this.fulfil(request, filed.id)
  }

  /** A request of this app (and of this subject, for user callers); 404 for anyone else's. */
  async get(appId: string, id: string, subjectId?: string): Promise<PrivacyRequest> {
    const found = isUuid(id) ? await this.workflow.get(id) : undefined
    if (!found || found.appId !== appId || (subjectId !== undefined && found.subjectId !== subjectId))
      throw notFound('privacy_request')
    return found
  }

  list(appId: string, filter: { subjectId?: string | undefined; status?: PrivacyRequestStatus | undefined }) {
    return this.workflow.list({
      appId,
      ...(filter.subjectId === undefined ? {} : { subjectId: filter.subjectId }),
      ...(filter.status === undefined ? {} : { status: filter.status }),
    })
  }

  verify(request: FastifyRequest, id: string, method: string) {
    return transition(() => this.workflow.verify(id, { ...ChatPrivacyRequests.step(request), method }))
  }

  reject(request: FastifyRequest, id: string, reason: string) {
    return transition(() => this.workflow.reject(id, { ...ChatPrivacyRequests.step(request), reason }))
  }

  fulfil(request: FastifyRequest, id: string) {
    return transition(() => this.workflow.fulfil(id, ChatPrivacyRequests.step(request)))
  }
}

/** A step the status does not allow is a 409 with the kit's stable code. */
async function transition<T>(step: () => Promise<T>): Promise<T> {
  try {
    return await step()
  } catch (error) {
    if (error instanceof PrivacyRequestStateError) throw conflict(error.code, error.message)
    throw error
  }
}
