import type { PrivacyRegistry } from '@platform/service-kit/privacy'
import type { Kysely } from 'kysely'
import type { DexDatabase } from '../db/schema.js'

const DAY_MS = 86_400_000

export interface DexRetentionPeriods {
  /** Audit entries (sign-ins, revocations, exports, erasures) older than this are purged; 0 keeps them. */
  AUDIT_RETENTION_DAYS: number
  /** Price alerts that fired this long ago are deleted (an open alert is kept until its owner removes it). */
  ALERT_RETENTION_DAYS: number
  /** How often the purges run. */
  RETENTION_SWEEP_MS: number
}

/**
 * The DEX's retention policy, one purge per kind of personal data kept in SQL. Sessions and SIWE
 * nonces live in the cache and expire there by TTL (sessions: 1 h idle, 7 days at most, never past
 * the signed message's Expiration Time; nonces: 10 minutes), so they need no purge. Watchlists
 * are kept while the wallet keeps them; `DELETE /v1/account` erases them with the rest.
 */
export function registerDexRetention(
  registry: PrivacyRegistry,
  parts: {
    db: Kysely<DexDatabase>
    audit: { purgeOlderThan(before: Date): Promise<number> }
    periods: DexRetentionPeriods
  },
): PrivacyRegistry {
  const { db, audit, periods } = parts
  registry.registerRetention({
    name: 'dex.price_alerts',
    everyMs: periods.RETENTION_SWEEP_MS,
    purge: async (now) => {
      const before = new Date(now.getTime() - periods.ALERT_RETENTION_DAYS * DAY_MS)
      const result = await db
        .deleteFrom('account_price_alerts')
        .where('triggered_at', '<', before)
        .executeTakeFirst()
      return Number(result.numDeletedRows)
    },
  })
  if (periods.AUDIT_RETENTION_DAYS > 0) {
    // The kit's purge is the one deletion the audit table's triggers allow, and is itself audited.
    registry.registerRetention({
      name: 'dex.audit_log',
      everyMs: periods.RETENTION_SWEEP_MS,
      purge: (now) => audit.purgeOlderThan(new Date(now.getTime() - periods.AUDIT_RETENTION_DAYS * DAY_MS)),
    })
  }
  return registry
}
