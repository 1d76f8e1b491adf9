import type { ChatContext } from '../shared/context.js'
import { forbidden } from '../shared/problems.js'

/**
 * A user who blocked `userId` cannot be put in a conversation by them: not a direct channel (the
 * creation check), and not a group or any other private channel either, which would reopen the
 * same door with a third member as cover.
 */
export async function assertNoneBlocked(
  ctx: ChatContext,
  appId: string,
  userId: string,
  others: string[],
): Promise<void> {
  const candidates = others.filter((id) => id !== userId)
  if (candidates.length === 0) return
  const blocker = await ctx.db
    .selectFrom('blocks')
    .select('blocker_id')
    .where('app_id', '=', appId)
    .where('blocked_id', '=', userId)
    .where('blocker_id', 'in', candidates)
    .executeTakeFirst()
  if (blocker) throw forbidden('blocked', 'this user does not accept your messages')
}
