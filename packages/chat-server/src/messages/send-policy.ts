import {
  assertNotArchived,
  assertWrite,
  type ChannelAccess,
  type ChannelType,
  canModerate,
  type MemberRole,
} from '../channels/access.js'
import { forbidden, HttpProblem } from '../shared/problems.js'

/**
 * Who a send is checked as:
 * - `user`: an end user with their token (membership, bans, mutes, blocks, slow mode);
 * - `on_behalf`: a backend posting as a user (no membership needed, but the user's bans and the
 *   user's slow mode hold);
 * - `server`: a backend posting as nobody (only the channel's existence and archive state count).
 *
 * The same rules exist twice: here, which decides the problem a refused send answers with, and in
 * writer.ts's SQL, which decides atomically with the insert (so a ban committed before the write
 * is never missed). When the SQL refuses a send these rules allow,
 * the writer fails loudly (a 500 in the permission tests) instead of answering wrongly.
 */
export type SendMode = 'user' | 'on_behalf' | 'server'

/** What the writer's statement reads about one sender and one channel (SQL names). */
export interface SendFacts {
  type: ChannelType
  archived: boolean
  slow_mode_seconds: number
  role: MemberRole | null
  last_sent_at: string | null
  app_admin: boolean
  banned: boolean
  muted: boolean
  blocked_by_peer: boolean
}

export function accessFromFacts(
  facts: SendFacts,
  appId: string,
  channelId: string,
  userId: string | null,
  mode: SendMode,
): ChannelAccess {
  return {
    appId,
    channelId,
    type: facts.type,
    archived: facts.archived,
    slowModeSeconds: facts.slow_mode_seconds,
    role: mode === 'server' ? 'owner' : facts.role,
    isMember: facts.role !== null,
    isServer: mode === 'server',
    isAppAdmin: facts.app_admin,
    banned: facts.banned,
    muted: facts.muted,
    blockedByPeer: facts.blocked_by_peer,
    lastSentAt: facts.last_sent_at ? new Date(facts.last_sent_at) : null,
    userId,
  }
}

/** Everything but slow mode, in the order the API has always answered (404 before 403s). */
export function assertMaySend(access: ChannelAccess, mode: SendMode): void {
  // a backend speaking for a user may post where the user is not a member, but their bans still hold
  if (mode === 'user') assertWrite(access)
  else if (mode === 'on_behalf' && access.banned)
    throw forbidden('user_banned', 'the user is banned from this channel')
  assertNotArchived(access)
}

/** Slow mode binds everyone but moderators (and backends posting as nobody). */
export function slowModeApplies(access: ChannelAccess): boolean {
  return access.slowModeSeconds > 0 && !canModerate(access)
}

/**
 * The 429 for a send inside the slow-mode window. `lastSentAt` null means an earlier message of
 * the same sender in the same group commit took the slot.
 */
export function slowModeProblem(access: ChannelAccess, now = Date.now()): HttpProblem {
  const last = access.lastSentAt?.getTime() ?? now
  const wait = Math.max(1, Math.ceil((last + access.slowModeSeconds * 1000 - now) / 1000))
  return new HttpProblem(429, 'slow_mode', `slow mode: wait ${wait} s before sending again`)
}
