import type { AuditLog } from '@platform/service-kit/audit'
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
  registry.registerEraser({
    name: 'chat.user',
    async erase(subject) {
      const { erasedMessages } = await eraseUserData(ctx, requireApp(subject.appId), subject.subjectId)
      return {
        erased: erasedMessages,
        retained: 'messages kept as authorless, empty tombstones so threads stay intact',
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

function requireApp(appId: string | undefined): string {
  if (!appId) throw new Error('chat privacy subjects are scoped by app')
  return appId
}
