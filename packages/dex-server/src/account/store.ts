import { uuidv7 } from '@platform/service-kit/http'
import type { Kysely } from 'kysely'
import type { DexDatabase } from '../db/schema.js'

export interface WatchlistEntry {
  token: string
  createdAt: string
}

export interface PriceAlert {
  id: string
  baseToken: string
  quoteToken: string
  direction: 'above' | 'below'
  price: string
  note: string | null
  createdAt: string
  triggeredAt: string | null
  triggeredPrice: string | null
}

export const MAX_WATCHLIST = 200
export const MAX_OPEN_ALERTS = 100

const iso = (value: unknown) =>
  value instanceof Date ? value.toISOString() : new Date(String(value)).toISOString()

function alertOf(row: any): PriceAlert {
  return {
    id: row.id,
    baseToken: row.base_token,
    quoteToken: row.quote_token,
    direction: row.direction,
    price: String(row.price),
    note: row.note,
    createdAt: iso(row.created_at),
    triggeredAt: row.triggered_at === null ? null : iso(row.triggered_at),
    triggeredPrice: row.triggered_price === null ? null : String(row.triggered_price),
  }
}

/** Watchlists and price alerts, every query scoped to one wallet (lower-cased address). */
export class AccountStore {
  constructor(private readonly db: Kysely<DexDatabase>) {}

  async watchlist(owner: string): Promise<WatchlistEntry[]> {
    const rows = await this.db
      .selectFrom('account_watchlist')
      .select(['token', 'created_at'])
      .where('address', '=', owner)
      .orderBy('created_at')
      .execute()
    return rows.map((r) => ({ token: r.token, createdAt: iso(r.created_at) }))
  }

  /** Adds a token; false when the list is full. Adding twice is a no-op. */
  async watch(owner: string, token: string): Promise<boolean> {
    const { count } = await this.db
      .selectFrom('account_watchlist')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('address', '=', owner)
      .executeTakeFirstOrThrow()
    if (Number(count) >= MAX_WATCHLIST) return false
    await this.db
      .insertInto('account_watchlist')
      .values({ address: owner, token })
      .onConflict((oc) => oc.columns(['address', 'token']).doNothing())
      .execute()
    return true
  }

  async unwatch(owner: string, token: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('account_watchlist')
      .where('address', '=', owner)
      .where('token', '=', token)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  async alerts(owner: string): Promise<PriceAlert[]> {
    const rows = await this.db
      .selectFrom('account_price_alerts')
      .selectAll()
      .where('address', '=', owner)
      .orderBy('created_at')
      .execute()
    return rows.map(alertOf)
  }

  async openAlertCount(owner: string): Promise<number> {
    const { count } = await this.db
      .selectFrom('account_price_alerts')
      .select((eb) => eb.fn.countAll<string>().as('count'))
      .where('address', '=', owner)
      .where('triggered_at', 'is', null)
      .executeTakeFirstOrThrow()
    return Number(count)
  }

  async addAlert(
    owner: string,
    alert: {
      baseToken: string
      quoteToken: string
      direction: 'above' | 'below'
      price: string
      note?: string
    },
  ): Promise<PriceAlert> {
    const row = await this.db
      .insertInto('account_price_alerts')
      .values({
        id: uuidv7(),
        address: owner,
        base_token: alert.baseToken,
        quote_token: alert.quoteToken,
        direction: alert.direction,
        price: alert.price,
        note: alert.note ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow()
    return alertOf(row)
  }

  async removeAlert(owner: string, id: string): Promise<boolean> {
    const result = await this.db
      .deleteFrom('account_price_alerts')
      .where('address', '=', owner)
      .where('id', '=', id)
      .executeTakeFirst()
    return Number(result.numDeletedRows) > 0
  }

  /** Open alerts of every wallet (the evaluator's input). */
  async openAlerts(limit = 10_000): Promise<Array<PriceAlert & { owner: string }>> {
    const rows = await this.db
      .selectFrom('account_price_alerts')
      .selectAll()
      .where('triggered_at', 'is', null)
      .limit(limit)
      .execute()
    return rows.map((r) => ({ ...alertOf(r), owner: r.address }))
  }

  /** Marks an alert triggered once (a concurrent evaluator cannot trigger it twice). */
  async trigger(id: string, price: string, at: Date): Promise<boolean> {
    const result = await this.db
      .updateTable('account_price_alerts')
      .set({ triggered_at: at.toISOString(), triggered_price: price })
      .where('id', '=', id)
      .where('triggered_at', 'is', null)
      .executeTakeFirst()
    return Number(result.numUpdatedRows) > 0
  }

  async eraseAll(owner: string): Promise<{ watchlist: number; alerts: number }> {
    const [w, a] = await Promise.all([
      this.db.deleteFrom('account_watchlist').where('address', '=', owner).executeTakeFirst(),
      this.db.deleteFrom('account_price_alerts').where('address', '=', owner).executeTakeFirst(),
    ])
    return { watchlist: Number(w.numDeletedRows), alerts: Number(a.numDeletedRows) }
  }
}
