import type { Database } from '@platform/service-kit/db'
import { sql } from 'kysely'

const TENANT_TABLES = [
  'apps',
  'api_keys',
  'signing_keys',
  'users',
  'sessions',
  'channels',
  'members',
  'messages',
  'message_edits',
  'reactions',
  'polls',
  'poll_options',
  'poll_votes',
  'uploads',
  'blocks',
  'bans',
  'flags',
  'outbox',
  'webhook_endpoints',
  'webhook_deliveries',
  // the kit's tables in the chat schema: nobody may file, advance or audit in another app's name
  'privacy_requests',
  'audit_log',
] as const

/**
 * A fingerprint of everything one app owns (every row of every tenant table, as JSON, in a stable
 * order). Tests compare it before and after a request to prove the request changed nothing.
 * last_active_at is left out: any authenticated call refreshes it.
 */
export async function tenantSnapshot(database: Database, appId: string): Promise<Record<string, string>> {
  const result: Record<string, string> = {}
  for (const table of TENANT_TABLES) {
    const column = table === 'apps' ? 'id' : 'app_id'
    const { rows } = await sql<{ digest: string | null }>`
      select md5(string_agg((to_jsonb(t) - 'last_active_at')::text, '|' order by (to_jsonb(t) - 'last_active_at')::text)) as digest
      from ${sql.table(table)} t where ${sql.ref(column)} = ${appId}`.execute(database.kysely)
    result[table] = rows[0]?.digest ?? 'empty'
  }
  return result
}
