import { sql } from 'kysely'
import type { ChatContext } from '../shared/context.js'

/**
 * Per-app retention: hard-deletes messages older than the app's retentionDays (in chunks, so a
 * large backlog never holds one long transaction), and drops outbox rows both consumers are done
 * with (published by the gateway, passed by the webhook cursor) after a day.
 */
export async function purgeExpired(ctx: ChatContext): Promise<{ messages: number; outbox: number }> {
  const apps = await ctx.db
    .selectFrom('apps')
    .select(['id', sql<number>`(settings->>'retentionDays')::int`.as('days')])
    .where(sql<boolean>`settings ? 'retentionDays'`)
    .execute()
  let messages = 0
  for (const app of apps) {
    if (!app.days || app.days <= 0) continue
    for (;;) {
      const { rows } = await sql<{ n: number }>`
        with doomed as (
          select id from messages where app_id = ${app.id} and created_at < now() - make_interval(days => ${app.days})
          limit 1000),
        gone as (delete from messages m using doomed where m.app_id = ${app.id} and m.id = doomed.id returning 1)
        select count(*)::int as n from gone`.execute(ctx.db)
      const n = rows[0]?.n ?? 0
      messages += n
      if (n < 1000) break
    }
  }
  const { rows } = await sql<{ n: number }>`
    with gone as (
      delete from outbox where published_at is not null and created_at < now() - interval '1 day'
        and id <= coalesce((select last_id from outbox_cursors where name = 'webhooks'), 0)
      returning 1)
    select count(*)::int as n from gone`.execute(ctx.db)
  return { messages, outbox: rows[0]?.n ?? 0 }
}
