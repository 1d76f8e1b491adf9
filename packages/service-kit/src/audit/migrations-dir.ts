import { fileURLToPath } from 'node:url'

/**
 * Absolute path of the kit's SQL migrations (audit_log, privacy_requests). Products apply them
 * in their own schema: `await migrate(db, { dir: kitMigrationsDir })`, then their own folder.
 */
export const kitMigrationsDir = fileURLToPath(new URL('../../migrations', import.meta.url))
