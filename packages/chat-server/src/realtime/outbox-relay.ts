/**
 * Drains `outbox` (written by the API in the same transaction as the data) into the realtime
 * layer. One relay at a time holds a transaction-scoped advisory lock (the lease): rows go out in
 * id order, so in seq order per channel, and are marked published in the same transaction. A relay
 * that dies before commit leaves its rows unpublished and the next holder sends them again: at
 * least once, with the event id as the broker idempotency key and as `id` for client dedupe.
 *
 * SKIP LOCKED would let two relays split one channel's rows and reorder them, hence the lease.
 */
import { type Kysely, sql } from 'kysely'
import { Gauge, type Registry } from 'prom-client'
import type { ChatDatabase } from '../shared/database.js'
import { asJson } from '../shared/outbox.js'
import { isControlEvent } from '../shared/realtime-control.js'
import { applyControl } from './control.js'
import type { Publisher } from './publisher.js'

export interface OutboxRow {
  id: string
  event_id: string
  app_id: string
  channel: string
  type: string
  payload: unknown
  seq: string | number | null
  created_at: Date | string
}

/** What a client receives as publication `data` for an outbox event. */
export interface RealtimeEvent {
  /** The outbox event id (UUID): deduplicate by it. */
  id: string
  type: string
  /** The channel message seq when the event has one. */
  seq?: number
  payload: unknown
  createdAt: string
}

export interface OutboxRelayOptions {
  db: Kysely<ChatDatabase>
  publisher: Publisher
  registry?: Registry
  batchSize?: number
  /** Idle poll interval. A full batch is followed at once by the next. */
  pollIntervalMs?: number
  /** Event types that are ephemeral: published without history. */
  ephemeralTypes?: (type: string) => boolean
  /** Lease key for pg_try_advisory_xact_lock. */
  lockKey?: number
  onError?: (err: unknown) => void
}

export interface OutboxRelay {
  /** Drains once now (tests, or the API after a write). Resolves with rows published. */
  drain(): Promise<number>
  wake(): void
  stop(): Promise<void>
}

const DEFAULT_LOCK_KEY = 0x6f7574 // "out"

export function toRealtimeEvent(row: OutboxRow): RealtimeEvent {
  const event: RealtimeEvent = {
    id: row.event_id,
    type: row.type,
    payload: row.payload,
    createdAt: new Date(row.created_at).toISOString(),
  }
  if (row.seq !== null && row.seq !== undefined) event.seq = Number(row.seq)
  return event
}

function relayGauges(registry: Registry | undefined) {
  const existing = registry?.getSingleMetric('outbox_backlog') as Gauge | undefined
  const backlog =
    existing ??
    new Gauge({
      name: 'outbox_backlog',
      help: 'Outbox rows not yet published to the realtime layer',
      registers: registry ? [registry] : [],
    })
  const lag =
    (registry?.getSingleMetric('outbox_lag_seconds') as Gauge | undefined) ??
    new Gauge({
      name: 'outbox_lag_seconds',
      help: 'Age of the oldest unpublished outbox row (0 when drained)',
      registers: registry ? [registry] : [],
    })
  return { backlog, lag }
}

export function startOutboxRelay(options: OutboxRelayOptions): OutboxRelay {
  const { db, publisher } = options
  const batchSize = options.batchSize ?? 500
  const pollMs = options.pollIntervalMs ?? 100
  const isEphemeral = options.ephemeralTypes ?? ((type: string) => type.startsWith('typing.'))
  const lockKey = options.lockKey ?? DEFAULT_LOCK_KEY
  const gauges = relayGauges(options.registry)
  let stopped = false
  let timer: NodeJS.Timeout | null = null
  let running: Promise<number> | null = null

  /**
   * Control events (server-side unsubscribe, disconnect, history removal) are barriers: what comes
   * before one is published first, then it runs, then what comes after. A message written after a
   * member was removed can then never reach that member's socket.
   */
  const publishRows = async (rows: OutboxRow[]): Promise<void> => {
    let start = 0
    for (let i = 0; i < rows.length; i++) {
      const row = rows[i] as OutboxRow
      if (!isControlEvent(row.type)) continue
      await publishInParallel(rows.slice(start, i))
      await applyControl(publisher, row.app_id, asJson(row.payload))
      start = i + 1
    }
    await publishInParallel(rows.slice(start))
  }

  const publishInParallel = async (rows: OutboxRow[]): Promise<void> => {
    // Channels are independent: each keeps its id order, different channels go out in parallel.
    const byChannel = new Map<string, OutboxRow[]>()
    for (const row of rows) {
      const list = byChannel.get(row.channel)
      if (list) list.push(row)
      else byChannel.set(row.channel, [row])
    }
    await Promise.all(
      [...byChannel.values()].map(async (list) => {
        for (const row of list) {
          await publisher.publish({
            channel: row.channel,
            data: toRealtimeEvent(row),
            skipHistory: isEphemeral(row.type),
            idempotencyKey: row.event_id,
          })
        }
      }),
    )
  }

  const drainBatch = async (): Promise<number> =>
    db.transaction().execute(async (trx) => {
      const lease = await sql<{ ok: boolean }>`select pg_try_advisory_xact_lock(${lockKey}) as ok`.execute(
        trx,
      )
      if (!lease.rows[0]?.ok) return 0
      const { rows } = await sql<OutboxRow>`
        select id, event_id, app_id, channel, type, payload, seq, created_at
        from outbox where published_at is null order by id limit ${batchSize}`.execute(trx)
      if (rows.length === 0) return 0
      await publishRows(rows)
      const ids = rows.map((r) => String(r.id))
      await sql`update outbox set published_at = now() where id = any(${ids}::bigint[])`.execute(trx)
      return rows.length
    })

  const measure = async (): Promise<void> => {
    const { rows } = await sql<{ n: string | number; oldest: Date | string | null }>`
      select count(*) as n, min(created_at) as oldest from outbox where published_at is null`.execute(db)
    const n = Number(rows[0]?.n ?? 0)
    gauges.backlog.set(n)
    const oldest = rows[0]?.oldest
    gauges.lag.set(oldest ? Math.max(0, (Date.now() - new Date(oldest).getTime()) / 1000) : 0)
  }

  const drain = async (): Promise<number> => {
    if (running) return running
    running = (async () => {
      let total = 0
      try {
        for (;;) {
          const n = await drainBatch()
          total += n
          if (n < batchSize || stopped) break
        }
      } finally {
        await measure().catch(() => {})
      }
      return total
    })()
    try {
      return await running
    } finally {
      running = null
    }
  }

  const loop = async (): Promise<void> => {
    timer = null
    if (stopped) return
    try {
      await drain()
    } catch (err) {
      options.onError?.(err)
    }
    if (!stopped) timer = setTimeout(loop, pollMs)
  }
  timer = setTimeout(loop, 0)

  return {
    drain,
    wake() {
      if (timer && !running) {
        clearTimeout(timer)
        timer = setTimeout(loop, 0)
      }
    },
    async stop() {
      stopped = true
      if (timer) clearTimeout(timer)
      timer = null
      await running?.catch(() => {})
    },
  }
}
