import type { AuditLog, AuditRecord } from '@platform/service-kit/audit'
import { PrivacyRegistry } from '@platform/service-kit/privacy'
import type { ChatContext } from '../shared/context.js'
import { purgeExpired } from './retention.js'
import { EXPORT_SECTIONS, eraseUserData } from './user-data.js'

/**
 * ChatSDK's declaration to the kit's privacy framework: one exporter per kind of personal record,
 * one eraser (messages become anonymous tombstones, the rest is deleted) and the per-app retention
 * purge. Subjects are always (appId, userId).
 */
export function createChatPrivacy(ctx: ChatContext, audit?: AuditLog): PrivacyRegistry {
  const registry = new PrivacyRegistry()
  for (const [name, load] of Object.entries(EXPORT_SECTIONS)) {
    registry.registerExporter({
      name,
      export: (subject) => load(ctx, requireApp(subject.appId), subject.subjectId),
    })
  }
  if (audit) {
    registry.registerExporter({
      name: SECURITY_LOG_SECTION,
      export: (subject) => securityLog(audit, requireApp(subject.appId), subject.subjectId),
    })
  }
  registry.registerEraser({
    name: 'chat.user',
    async erase(subject) {
      const { erasedMessages } = await eraseUserData(ctx, requireApp(subject.appId), subject.subjectId)
      return {
        erased: erasedMessages,
        retained:
          'messages kept as authorless, empty tombstones so threads stay intact; security audit entries ' +
          'kept until AUDIT_RETENTION_DAYS (append-only record of security events)',
      }
    },
  })
  registry.registerRetention({
    name: 'chat.messages',
    everyMs: ctx.config.RETENTION_SWEEP_MS,
    purge: async () => {
      const { messages, outbox } = await purgeExpired(ctx)
      return messages + outbox
    },
  })
  const auditDays = ctx.config.AUDIT_RETENTION_DAYS
  if (audit && auditDays > 0) {
    // the audit log's own retention: the kit's purge is the one deletion its triggers allow, and is itself audited
    registry.registerRetention({
      name: 'chat.audit_log',
      everyMs: ctx.config.RETENTION_SWEEP_MS,
      purge: (now) => audit.purgeOlderThan(new Date(now.getTime() - auditDays * 86_400_000)),
    })
  }
  return registry
}

/** Export section with the audit entries about the user: what they did, and what was done to them. */
export const SECURITY_LOG_SECTION = 'chat.security_log'

async function securityLog(audit: AuditLog, appId: string, userId: string) {
  const entries = new Map<string, AuditRecord>()
  for (const filter of [
    { actorType: 'user', actorId: userId },
    { targetType: 'user', targetId: userId },
  ]) {
    // page through everything (the kit caps a page at 1000)
    for (let after: string | undefined; ; ) {
      const page = await audit.query({ appId, ...filter, limit: 1000, ...(after ? { after } : {}) })
      for (const entry of page) entries.set(entry.id, entry)
      if (page.length < 1000) break
      after = page.at(-1)!.id
    }
  }
  return [...entries.values()]
    .sort((a, b) => (a.id < b.id ? -1 : 1))
    .map((e) => ({
      occurredAt: e.occurredAt,
      action: e.action,
      actor: e.actor.id ? `${e.actor.type}:${e.actor.id}` : e.actor.type,
      target: e.target ? `${e.target.type}:${e.target.id}` : null,
      outcome: e.outcome,
      ip: e.ip,
      userAgent: e.userAgent,
    }))
}

function requireApp(appId: string | undefined): string {
  if (!appId) throw new Error('chat privacy subjects are scoped by app')
  return appId
}
