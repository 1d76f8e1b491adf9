import { type DatabaseOf, jsonb, text, timestamptz, uuid } from '../db/columns.js'
import type { AuditOutcome } from './types.js'

/**
 * The tables of the kit migrations (`kitMigrationsDir`: audit_log, privacy_requests), which every
 * product applies in its own schema. A product's database interface extends `KitDatabase`.
 * `kit-tables.test.ts` checks this description against the migrated tables.
 */
export const kitTables = {
  audit_log: {
    id: uuid(),
    occurred_at: timestamptz().defaulted(),
    app_id: text().nullable(),
    actor_type: text(),
    actor_id: text().nullable(),
    action: text(),
    target_type: text().nullable(),
    target_id: text().nullable(),
    outcome: text<AuditOutcome>().defaulted(),
    ip: text().nullable(),
    user_agent: text().nullable(),
    request_id: text().nullable(),
    metadata: jsonb<Record<string, unknown>>().defaulted(),
  },
  privacy_requests: {
    id: uuid(),
    app_id: text().nullable(),
    subject_id: text(),
    kind: text<'access' | 'portability' | 'erasure'>(),
    status: text<'requested' | 'verified' | 'processing' | 'done' | 'rejected'>().defaulted(),
    format: text<'json' | 'csv'>().defaulted(),
    requested_by: text(),
    requested_at: timestamptz().defaulted(),
    verified_by: text().nullable(),
    verified_at: timestamptz().nullable(),
    completed_at: timestamptz().nullable(),
    result: jsonb<Record<string, unknown>>().nullable(),
    error: text().nullable(),
    updated_at: timestamptz().defaulted(),
  },
}

export interface KitDatabase extends DatabaseOf<typeof kitTables> {}
