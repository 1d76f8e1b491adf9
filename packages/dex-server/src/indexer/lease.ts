import { hostname } from 'node:os'
import { uuidv7 } from '@platform/service-kit/http'
import { type Kysely, sql } from 'kysely'
import type { DexDatabase } from '../db/schema.js'

export interface IndexerLeaseOptions {
  db: Kysely<DexDatabase>
  /** One lease per indexed deployment: the cursor's id (`<chainId>:<factory>`). */
  id: string
  /** How long a taken lease lasts without renewal (default 15 s): the failover time. */
  ttlMs?: number
  /** Names this process in the row (default `pid@hostname/<uuid>`, unique per instance). */
  holder?: string
}

export const DEFAULT_LEASE_TTL_MS = 15_000

/**
 * The right to run the indexer, held in the database the indexer writes to (`indexer_lease`).
 * One statement takes a free or expired lease or renews one's own; the database's clock decides
 * expiry. A holder renews every third of the TTL; one that stops deletes its row, so another
 * process takes over at its next poll instead of after the TTL.
 *
 * The lease saves work, it does not guard correctness: a holder paused past its expiry may still
 * write one range, and the cursor lock in `writeBatch` (`CursorMovedError`) is what keeps two
 * writers from applying a range twice.
 */
export class IndexerLease {
  readonly holder: string
  readonly ttlMs: number

  constructor(private readonly options: IndexerLeaseOptions) {
    this.ttlMs = options.ttlMs ?? DEFAULT_LEASE_TTL_MS
    this.holder = options.holder ?? `${process.pid}@${hostname()}/${uuidv7()}`
  }

  /** Takes the lease when it is free, expired or already this holder's (a renewal); true when held. */
  async acquire(): Promise<boolean> {
    const ttl = `${this.ttlMs} milliseconds`
    const { rows } = await sql<{ holder: string }>`
      insert into indexer_lease (id, holder, expires_at)
      values (${this.options.id}, ${this.holder}, now() + ${ttl}::interval)
      on conflict (id) do update
        set holder = excluded.holder,
            expires_at = excluded.expires_at,
            acquired_at = case when indexer_lease.holder = excluded.holder
                               then indexer_lease.acquired_at else now() end
        where indexer_lease.holder = excluded.holder or indexer_lease.expires_at < now()
      returning holder`.execute(this.options.db)
    return rows[0]?.holder === this.holder
  }

  /** Gives the lease up (only this holder's row). */
  async release(): Promise<void> {
    await this.options.db
      .deleteFrom('indexer_lease')
      .where('id', '=', this.options.id)
      .where('holder', '=', this.holder)
      .execute()
  }

  /** Who holds the lease now (null when nobody does or it expired). */
  async current(): Promise<string | null> {
    const { rows } = await sql<{ holder: string }>`
      select holder from indexer_lease where id = ${this.options.id} and expires_at >= now()`.execute(
      this.options.db,
    )
    return rows[0]?.holder ?? null
  }
}
