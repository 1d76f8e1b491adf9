import type { ConnectionState } from '../realtime/connection-state.js'
import type { Channel, ChannelListItem, Message, Poll, PresenceStatus } from '../types.js'

/**
 * One durable or ephemeral event as the server publishes it on a realtime channel
 * (docs/realtime.md, "Event format"). Clients deduplicate by `id`; `seq` is the channel message
 * seq for `message.new` and `thread.reply`.
 */
export interface ChatEvent<T extends ChatEventType = ChatEventType> {
  id: string
  type: T
  seq?: number | null
  payload: ChatEventPayloads[T]
  createdAt?: string
}

export interface ChatEventPayloads {
  'message.new': { message: Message; parentId?: string }
  'thread.reply': { message: Message; parentId: string }
  'message.updated': { message: Message }
  'message.deleted': { messageId: string; channelId: string; seq: number; hard: boolean }
  'reaction.new': ReactionPayload
  'reaction.deleted': ReactionPayload
  'read.updated': { channelId: string; userId: string; lastReadSeq: number; lastReadAt: string | null }
  'poll.updated': { poll: Poll }
  'channel.updated': { channel: Channel }
  'channel.deleted': { channelId: string }
  'member.added': MemberPayload
  'member.removed': MemberPayload
  'member.updated': MemberPayload
  'user.banned': Record<string, unknown>
  'user.unbanned': Record<string, unknown>
  'user.muted': Record<string, unknown>
  'user.unmuted': Record<string, unknown>
  'typing.start': { channelId: string; userId: string; parentId?: string }
  'typing.stop': { channelId: string; userId: string; parentId?: string }
  'presence.changed': { userId: string; status: PresenceStatus; at: string }
}
export type ChatEventType = keyof ChatEventPayloads

export interface ReactionPayload {
  messageId: string
  channelId: string
  userId: string
  type: string
  reactionCounts: Record<string, number>
}
export interface MemberPayload {
  channelId: string
  userId: string
  by: string | null
}

/** A message the user sent that the server has not confirmed yet (or refused). */
export interface PendingMessage {
  clientMessageId: string
  channelId: string
  /** Thread parent, for a reply. */
  parentId: string | null
  userId: string
  text: string
  /** The request body, kept as sent so a resend is the same request. */
  body: import('../types.js').SendMessageInput
  createdAt: string
  /** `pending`: waiting or being sent; `failed`: refused for good, retry or discard it. */
  status: 'pending' | 'failed'
  attempts: number
  error?: { code: string; message: string; status: number }
}

/** Who is typing in a channel (or in a thread of it, with `parentId`). */
export interface TypingUser {
  userId: string
  parentId: string | null
  /** Epoch ms after which the indicator lapses if no stop arrives. */
  expiresAt: number
}

export interface PresenceEntry {
  status: PresenceStatus
  at: string
}

export type ChannelState = ChannelListItem

/**
 * What is loaded of a channel's history: the list may be a window in the past (after a jump to
 * the first unread message), with newer messages still on the server (`hasNewer`).
 */
export interface ChannelPaging {
  /** `idle`: nothing asked yet; `loading`: the first page is on its way. */
  status: 'idle' | 'loading' | 'ready'
  hasOlder: boolean
  hasNewer: boolean
  loadingOlder: boolean
  loadingNewer: boolean
  /** The first message from someone else after the reader's marker, when the page was opened. */
  firstUnreadId: string | null
  /** The last load that failed, as its message. */
  error: string | null
  /**
   * Which load of the history `error` is from, so a UI can say what is missing and retry that:
   * the latest page, older or newer pages, or the messages missed while the connection was away
   * (the reload after a failed recovery). A new attempt at it clears it.
   */
  failed: LoadKind | null
  /** Why the channel itself or its members (roles, read markers) could not be loaded. */
  channelError: string | null
}

export type LoadKind = 'latest' | 'older' | 'newer' | 'missed'

export interface ThreadStatus {
  status: 'idle' | 'loading' | 'ready'
  error: string | null
}

/** The events the client emits; every listener receives the named payload. */
export interface ClientEvents {
  /** Connection state changed. */
  connection: { state: ConnectionState }
  /** The channel list (membership, order, unread counts, names) changed. */
  channels: Record<string, never>
  /** A channel's top-level messages (or its pending sends) changed. */
  messages: { channelId: string }
  /** A channel's members (and their roles) were loaded. */
  members: { channelId: string }
  /** What is loaded of a channel's history changed (see ChannelPaging). */
  paging: { channelId: string }
  /** A user's profile arrived. */
  user: { userId: string }
  /** A thread's replies (or its loading status) changed. */
  thread: { channelId: string; parentId: string }
  /** Unread counts changed (`channelId` absent: several). */
  unread: { channelId?: string }
  /** Someone's read marker moved in a channel. */
  reads: { channelId: string }
  typing: { channelId: string }
  presence: { userId: string }
  poll: { pollId: string }
  /** The offline queue changed (a send went pending, out, or failed). */
  pending: { channelId: string }
  /** A realtime subscription could not recover and the channel was reloaded from the API. */
  reloaded: { channelId: string }
  /** Every realtime event after deduplication, for anything the store does not model. */
  event: ChatEvent
  /** A background failure the app may want to show (a reload that failed, a refused token). */
  error: { error: unknown; context: string }
}
