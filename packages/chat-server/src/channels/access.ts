import { type Kysely, sql } from 'kysely'
import type { AppPrincipal } from '../access/principal.js'
import type { ChatContext } from '../shared/context.js'
import type { ChatDatabase } from '../shared/database.js'
import { forbidden, notFound } from '../shared/problems.js'

export type ChannelType = 'messaging' | 'team' | 'livestream' | 'direct' | 'group'
export type MemberRole = 'owner' | 'moderator' | 'member'

/** Everything a permission decision needs about one caller and one channel, read in one query. */
export interface ChannelAccess {
  appId: string
  channelId: string
  type: ChannelType
  archived: boolean
  slowModeSeconds: number
  /** The caller's role in the channel; null for non-members. A backend acts as owner. */
  role: MemberRole | null
  isMember: boolean
  isServer: boolean
  /** App-level admin user: owner rights in every channel. */
  isAppAdmin: boolean
  /** Active ban, app-wide or in this channel. */
  banned: boolean
  /** Active moderation mute, app-wide or in this channel. */
  muted: boolean
  /** Direct channel whose other member blocked the caller. */
  blockedByPeer: boolean
  lastSentAt: Date | null
  userId: string | null
}

export async function channelAccess(
  ctx: ChatContext,
  who: AppPrincipal,
  channelId: string,
): Promise<ChannelAccess> {
  const userId = who.kind === 'user' ? who.userId : null
  const row = await loaderFor(ctx.db).load(who.appId, channelId, userId)
  if (!row) throw notFound('channel')
  return {
    appId: who.appId,
    channelId,
    type: row.type,
    archived: row.archived_at !== null,
    slowModeSeconds: row.slow_mode_seconds,
    role: who.kind === 'server' ? 'owner' : row.role,
    isMember: row.role !== null,
    isServer: who.kind === 'server',
    isAppAdmin: row.app_admin,
    banned: row.banned,
    muted: row.muted,
    blockedByPeer: row.blocked_by_peer,
    lastSentAt: row.last_sent_at ? new Date(row.last_sent_at) : null,
    userId,
  }
}

/** What the access query reads for one (app, channel, caller). */
interface AccessRow {
  idx: string
  type: ChannelType
  archived_at: Date | null
  slow_mode_seconds: number
  role: MemberRole | null
  last_sent_at: Date | null
  app_admin: boolean
  banned: boolean
  muted: boolean
  blocked_by_peer: boolean
}

interface Pending {
  appId: string
  channelId: string
  userId: string | null
  resolve: (row: AccessRow | undefined) => void
  reject: (error: unknown) => void
}

/**
 * Batches the access lookups of concurrent requests: every check asked for while the event loop
 * turns is answered by one query over unnest()ed (app, channel, user) triples. Under load this
 * halves the round trips of a message send (the writer batches the other half).
 */
class AccessLoader {
  private queue: Pending[] = []
  private scheduled = false

  constructor(private readonly db: Kysely<ChatDatabase>) {}

  load(appId: string, channelId: string, userId: string | null): Promise<AccessRow | undefined> {
    return new Promise((resolve, reject) => {
      this.queue.push({ appId, channelId, userId, resolve, reject })
      if (!this.scheduled) {
        this.scheduled = true
        setImmediate(() => void this.flush())
      }
    })
  }

  private async flush() {
    const batch = this.queue
    this.queue = []
    this.scheduled = false
    try {
      const { rows } = await sql<AccessRow>`
        select r.idx, c.type, c.archived_at, c.slow_mode_seconds, m.role, m.last_sent_at,
          coalesce(u.role = 'admin', false) as app_admin,
          exists (select 1 from bans b where b.app_id = c.app_id and b.user_id = r.user_id and b.kind = 'ban'
                  and b.channel_id in ('', c.id) and (b.expires_at is null or b.expires_at > now())) as banned,
          exists (select 1 from bans b where b.app_id = c.app_id and b.user_id = r.user_id and b.kind = 'mute'
                  and b.channel_id in ('', c.id) and (b.expires_at is null or b.expires_at > now())) as muted,
          (c.type = 'direct' and exists (
            select 1 from members p join blocks k on k.app_id = p.app_id and k.blocker_id = p.user_id
            where p.app_id = c.app_id and p.channel_id = c.id and p.user_id <> r.user_id and k.blocked_id = r.user_id
          )) as blocked_by_peer
        from unnest(${batch.map((p) => p.appId)}::uuid[], ${batch.map((p) => p.channelId)}::text[],
                    ${batch.map((p) => p.userId)}::text[]) with ordinality as r(app_id, channel_id, user_id, idx)
        join channels c on c.app_id = r.app_id and c.id = r.channel_id
        left join members m on m.app_id = c.app_id and m.channel_id = c.id and m.user_id = r.user_id
        left join users u on u.app_id = c.app_id and u.id = r.user_id`.execute(this.db)
      const byIndex = new Map(rows.map((row) => [Number(row.idx), row]))
      for (const [i, pending] of batch.entries()) pending.resolve(byIndex.get(i + 1))
    } catch (error) {
      for (const pending of batch) pending.reject(error)
    }
  }
}

const loaders = new WeakMap<Kysely<ChatDatabase>, AccessLoader>()

function loaderFor(db: Kysely<ChatDatabase>): AccessLoader {
  let loader = loaders.get(db)
  if (!loader) {
    loader = new AccessLoader(db)
    loaders.set(db, loader)
  }
  return loader
}

/** Public channel types: readable by anyone in the app. */
export function isPublic(type: ChannelType): boolean {
  return type === 'team' || type === 'livestream'
}

/** A ban (in the channel or app-wide) takes reading away as well as writing, here and on sockets. */
export function canRead(access: ChannelAccess): boolean {
  if (access.isServer) return true
  if (access.banned) return false
  return access.isAppAdmin || access.isMember || isPublic(access.type)
}

export function canModerate(access: ChannelAccess): boolean {
  return access.isServer || access.isAppAdmin || access.role === 'owner' || access.role === 'moderator'
}

export function isOwner(access: ChannelAccess): boolean {
  return access.isServer || access.isAppAdmin || access.role === 'owner'
}

/**
 * Reading needs membership unless the channel is public. A non-reader gets 404 rather than 403
 * for private channels, so ids of private channels do not leak.
 */
export function assertRead(access: ChannelAccess, missing: () => Error = () => notFound('channel')): void {
  if (canRead(access)) return
  // The banned know the channel exists: they are told why, not that it is missing.
  if (access.banned && (access.isMember || isPublic(access.type)))
    throw forbidden('user_banned', 'you are banned from this channel')
  throw missing()
}

export function assertModerate(access: ChannelAccess): void {
  assertRead(access)
  if (!canModerate(access))
    throw forbidden('moderator_required', 'only the channel owner or a moderator may do this')
}

export function assertOwner(access: ChannelAccess): void {
  assertRead(access)
  if (!isOwner(access)) throw forbidden('owner_required', 'only the channel owner may do this')
}

/**
 * Writing, i.e. anything other members see: send, edit, pin, react, polls and votes, typing,
 * uploads. Members only, not banned, not muted (a mute silences every one of these, as in Stream
 * and Slack; deleting your own messages and marking them read stay allowed). Archived channels
 * are read-only (assertNotArchived).
 */
export function assertWrite(access: ChannelAccess): void {
  assertRead(access)
  if (access.isServer) return
  if (access.banned) throw forbidden('user_banned', 'you are banned from this channel')
  if (!access.isMember) throw forbidden('not_a_member', 'join the channel first')
  if (access.blockedByPeer) throw forbidden('blocked', 'this user does not accept your messages')
  if (access.muted) throw forbidden('user_muted', 'you are muted in this channel')
}

export function assertNotArchived(access: ChannelAccess): void {
  if (access.archived) throw forbidden('channel_archived', 'the channel is archived and read-only')
}
