import type { FastifyRequest } from 'fastify'
import type { AuditEntry } from './types.js'

/** The "from where" of an audit entry, taken from a Fastify request. */
export function auditContext(request: FastifyRequest): Pick<AuditEntry, 'ip' | 'userAgent' | 'requestId'> {
  return { ip: request.ip, userAgent: request.headers['user-agent'], requestId: String(request.id) }
}
