import type { Kysely } from 'kysely'
import type { ChatContext } from './context.js'
import type { ChatDatabase } from './database.js'

type Effect = () => Promise<unknown>

/** Effects waiting for the commit of a transaction opened by withTransaction. */
const pendingEffects = new WeakMap<Kysely<ChatDatabase>, Effect[]>()

/**
 * Runs `work` with a context bound to one transaction, so every write the domain makes through it
 * (and the audit entry that records them) commits together or not at all. Domain code defers what
 * lies outside the database (cache invalidation, cross-node notices) with `afterCommit`: it runs
 * once the transaction committed, and never for one that rolled back.
 */
export async function withTransaction<T>(
  ctx: ChatContext,
  work: (ctx: ChatContext) => Promise<T>,
): Promise<T> {
  if (ctx.db.isTransaction) return work(ctx)
  const effects: Effect[] = []
  const result = await ctx.db.transaction().execute((trx) => {
    pendingEffects.set(trx, effects)
    return work({ ...ctx, db: trx })
  })
  for (const effect of effects) await effect()
  return result
}

/** A transaction for one domain step, joining the caller's when the context is bound to one. */
export function transact<T>(ctx: ChatContext, work: (trx: Kysely<ChatDatabase>) => Promise<T>): Promise<T> {
  return ctx.db.isTransaction ? work(ctx.db) : ctx.db.transaction().execute(work)
}

/** Runs `effect` once the context's transaction committed; at once when the context has none. */
export async function afterCommit(ctx: ChatContext, effect: Effect): Promise<void> {
  const pending = pendingEffects.get(ctx.db)
  if (pending) pending.push(effect)
  else await effect()
}
