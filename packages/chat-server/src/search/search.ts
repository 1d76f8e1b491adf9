import { sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import { present } from '../messages/messages.js'
import type { Message } from '../messages/serialize.js'
import type { ChatContext } from '../shared/context.js'
import type { Row } from '../shared/database.js'

export interface SearchQuery {
  q: string
  channelId?: string | undefined
  userId?: string | undefined
  from?: string | undefined
  to?: string | undefined
  limit: number
  offset: number
}

export interface SearchResult {
  results: { message: Message; score: number }[]
  next: number | null
}

/**
 * Full-text search over the messages the caller may read (their channels plus public ones),
 * hiding authors they blocked. Two matchers: the `simple` tsvector finds whole words in spaced
 * languages; a substring match (indexed by pg_trgm) finds partial words and Japanese/Chinese text,
 * which has no spaces for a tokenizer to split. Ranked by ts_rank plus trigram word similarity.
 */
export async function searchMessages(
  ctx: ChatContext,
  who: AppPrincipal,
  query: SearchQuery,
): Promise<SearchResult> {
  const q = query.q.trim()
  const like = `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`
  const viewer = who.kind === 'user' ? who.userId : null
  const { rows } = await sql<Row<'messages'> & { score: number }>`
    select m.*, (ts_rank(m.search, websearch_to_tsquery('simple', ${q})) + word_similarity(${q}, m.text))::float8 as score
    from messages m
    join channels c on c.app_id = m.app_id and c.id = m.channel_id
    where m.app_id = ${who.appId} and m.deleted_at is null
      and (m.search @@ websearch_to_tsquery('simple', ${q}) or m.text ilike ${like})
      and (${viewer}::text is null or c.type in ('team', 'livestream') or exists (
        select 1 from members mb where mb.app_id = m.app_id and mb.channel_id = m.channel_id and mb.user_id = ${viewer}))
      and (${viewer}::text is null or m.user_id is null or not exists (
        select 1 from blocks b where b.app_id = m.app_id and b.blocker_id = ${viewer} and b.blocked_id = m.user_id))
      and (${query.channelId ?? null}::text is null or m.channel_id = ${query.channelId ?? null})
      and (${query.userId ?? null}::text is null or m.user_id = ${query.userId ?? null})
      and (${query.from ?? null}::timestamptz is null or m.created_at >= ${query.from ?? null}::timestamptz)
      and (${query.to ?? null}::timestamptz is null or m.created_at < ${query.to ?? null}::timestamptz)
    order by score desc, m.id desc
    limit ${query.limit + 1} offset ${query.offset}`.execute(ctx.db)
  const page = rows.slice(0, query.limit)
  const messages = await present(ctx, who, page)
  return {
    results: messages.map((message, i) => ({ message, score: Number(page[i]!.score) })),
    next: rows.length > query.limit ? query.offset + query.limit : null,
  }
}
