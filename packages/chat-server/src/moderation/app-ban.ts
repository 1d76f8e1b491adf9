import { sql } from 'kysely'
import type { ChatContext } from '../shared/context.js'
import { forbidden } from '../shared/problems.js'

/** An active app-wide ban (channel `''`, kind `ban`). */
export async function isAppBanned(ctx: ChatContext, appId: string, userId: string): Promise<boolean> {
  const { rows } = await sql`
    select 1 from bans where app_id = ${appId} and user_id = ${userId} and channel_id = '' and kind = 'ban'
      and (expires_at is null or expires_at > now())`.execute(ctx.db)
  return rows.length > 0
}

/**
 * An app-wide ban refuses realtime: no connection token is minted (Centrifugo mode has no other
 * gate) and the built-in gateway refuses the connect and the next refresh.
 */
export async function assertNotAppBanned(ctx: ChatContext, appId: string, userId: string): Promise<void> {
  if (await isAppBanned(ctx, appId, userId)) throw forbidden('user_banned', 'you are banned in this app')
}
