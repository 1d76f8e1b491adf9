import { sql } from 'kysely'

/**
 * SQL for the unread count of the member row aliased `m`: channel messages after their read
 * position, not thread replies, not deleted, not their own, and not by anyone they blocked (a
 * block hides those messages, so they must not count either). One definition for the channel
 * list and /me/unread.
 */
export const unreadCountOfMember = sql<number>`(
  select count(*)::int from messages x
  where x.app_id = m.app_id and x.channel_id = m.channel_id and x.seq > m.last_read_seq
    and x.parent_id is null and x.deleted_at is null and x.user_id is distinct from m.user_id
    and not exists (select 1 from blocks k where k.app_id = x.app_id and k.blocker_id = m.user_id
                    and k.blocked_id = x.user_id)
)`
