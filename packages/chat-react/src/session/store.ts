/**
 * The chat state the hooks read, and the pure functions that change it. Every change makes a new
 * state object (and new objects only along the changed path), so a reader can tell a change by
 * identity and unchanged messages keep theirs.
 */
import type { Channel, Member, Message, Poll, RealtimeEvent } from './wire.js'

export type Presence = 'online' | 'away' | 'offline'

/** A message as the store keeps it: the server's, or a local one waiting in the send queue. */
export type StoredMessage = Message & { pending?: boolean; failed?: boolean }

export interface ChannelEntry {
  channel: Channel
  members: Member[]
  unreadCount: number
  /** Read markers of the members, for receipts. */
  reads: Record<string, number>
  /** Loaded messages in seq order; pending ones (seq 0) at the end. */
  messages: StoredMessage[]
  firstUnreadId: string | null
  hasOlder: boolean
  hasNewer: boolean
  loadingOlder: boolean
  loadingNewer: boolean
  status: 'idle' | 'loading' | 'ready'
  error: string | null
}

export interface ThreadEntry {
  parent: StoredMessage | null
  replies: StoredMessage[]
  status: 'loading' | 'ready'
  error: string | null
}

export interface ChatState {
  connection: 'connecting' | 'connected' | 'offline'
  channelOrder: string[]
  channelsStatus: 'idle' | 'loading' | 'ready' | 'error'
  channelsError: string | null
  channels: Record<string, ChannelEntry>
  channelErrors: Record<string, string>
  threads: Record<string, ThreadEntry>
  typing: Record<string, string[]>
  presence: Record<string, Presence>
  polls: Record<string, Poll>
  pendingCount: number
}

export const initialState: ChatState = {
  connection: 'connecting',
  channelOrder: [],
  channelsStatus: 'idle',
  channelsError: null,
  channels: {},
  channelErrors: {},
  threads: {},
  typing: {},
  presence: {},
  polls: {},
  pendingCount: 0,
}

export function emptyEntry(channel: Channel, members: Member[] = [], unreadCount = 0): ChannelEntry {
  return {
    channel,
    members,
    unreadCount,
    reads: Object.fromEntries(members.map((member) => [member.userId, member.lastReadSeq])),
    messages: [],
    firstUnreadId: null,
    hasOlder: false,
    hasNewer: false,
    loadingOlder: false,
    loadingNewer: false,
    status: 'idle',
    error: null,
  }
}

export function updateChannel(
  state: ChatState,
  channelId: string,
  change: (entry: ChannelEntry) => ChannelEntry,
): ChatState {
  const entry = state.channels[channelId]
  if (!entry) return state
  const next = change(entry)
  return next === entry ? state : { ...state, channels: { ...state.channels, [channelId]: next } }
}

export function updateThread(
  state: ChatState,
  parentId: string,
  change: (entry: ThreadEntry) => ThreadEntry,
): ChatState {
  const entry = state.threads[parentId]
  if (!entry) return state
  return { ...state, threads: { ...state.threads, [parentId]: change(entry) } }
}

/**
 * Merges messages into a seq-ordered list: a message already there (same id, or the pending
 * copy with the same clientMessageId) is replaced, never duplicated.
 */
export function mergeMessages(
  list: readonly StoredMessage[],
  incoming: readonly StoredMessage[],
): StoredMessage[] {
  if (incoming.length === 0) return list as StoredMessage[]
  const byKey = new Map<string, StoredMessage>()
  const keyOf = (message: StoredMessage) => message.clientMessageId ?? message.id
  for (const message of list) byKey.set(keyOf(message), message)
  for (const message of incoming) {
    const known = byKey.get(keyOf(message)) ?? byKey.get(message.id)
    if (known && known.id !== message.id) byKey.delete(keyOf(known))
    byKey.set(keyOf(message), message)
  }
  return [...byKey.values()].sort(bySeq)
}

/** Server messages by seq; local pending ones after them, in the order they were written. */
function bySeq(a: StoredMessage, b: StoredMessage): number {
  if (a.pending !== b.pending) return a.pending ? 1 : -1
  if (a.pending) return a.createdAt.localeCompare(b.createdAt)
  return a.seq - b.seq
}

function replaceMessage(list: StoredMessage[], message: Message): StoredMessage[] {
  const index = list.findIndex((m) => m.id === message.id)
  if (index < 0) return list
  const next = list.slice()
  next[index] = message
  return next
}

function patchMessage(
  list: StoredMessage[],
  messageId: string,
  patch: (m: StoredMessage) => StoredMessage,
): StoredMessage[] {
  const index = list.findIndex((m) => m.id === messageId)
  if (index < 0) return list
  const next = list.slice()
  next[index] = patch(list[index]!)
  return next
}

/** Applies one realtime event for the signed-in user `me`. */
export function applyEvent(state: ChatState, event: RealtimeEvent, me: string): ChatState {
  const p = event.payload
  switch (event.type) {
    case 'message.new':
    case 'thread.reply':
      return addMessage(state, p.message as Message, me)
    case 'message.updated':
      return everywhere(state, (list) => replaceMessage(list, p.message as Message))
    case 'message.deleted':
      return everywhere(state, (list) =>
        patchMessage(list, p.messageId, (m) => ({
          ...m,
          type: 'deleted',
          text: '',
          attachments: [],
          deletedAt: event.createdAt,
        })),
      )
    case 'reaction.new':
    case 'reaction.deleted':
      return everywhere(state, (list) =>
        patchMessage(list, p.messageId, (m) => ({
          ...m,
          reactionCounts: p.reactionCounts,
          ownReactions:
            p.userId !== me
              ? m.ownReactions
              : event.type === 'reaction.new'
                ? [...new Set([...m.ownReactions, p.type])]
                : m.ownReactions.filter((type) => type !== p.type),
        })),
      )
    case 'read.updated':
      return updateChannel(state, p.channelId, (entry) => ({
        ...entry,
        reads: { ...entry.reads, [p.userId]: Math.max(entry.reads[p.userId] ?? 0, p.lastReadSeq) },
        ...(p.userId === me ? { unreadCount: unreadAfter(entry, p.lastReadSeq, me) } : {}),
      }))
    case 'typing.start':
    case 'typing.stop': {
      if (p.userId === me) return state
      const key = p.parentId ? `${p.channelId}:${p.parentId}` : p.channelId
      const now = state.typing[key] ?? []
      const next =
        event.type === 'typing.start' ? [...new Set([...now, p.userId])] : now.filter((id) => id !== p.userId)
      return { ...state, typing: { ...state.typing, [key]: next } }
    }
    case 'presence.changed':
      return state.presence[p.userId] === p.status
        ? state
        : { ...state, presence: { ...state.presence, [p.userId]: p.status } }
    case 'poll.updated': {
      const poll = p.poll as Poll
      const own = state.polls[poll.id]?.ownVotes ?? []
      return { ...state, polls: { ...state.polls, [poll.id]: { ...poll, ownVotes: own } } }
    }
    default:
      return state
  }
}

/** A new message or reply: into its channel or thread, counted unread when someone else wrote it. */
export function addMessage(state: ChatState, message: Message, me: string): ChatState {
  const parentId = message.parentId
  if (parentId) {
    const known = state.threads[parentId]?.replies.some((reply) => reply.id === message.id) ?? false
    const next = updateThread(state, parentId, (entry) => ({
      ...entry,
      replies: mergeMessages(entry.replies, [message]),
    }))
    if (known) return next
    return everywhere(next, (list) =>
      patchMessage(list, parentId, (parent) => ({ ...parent, replyCount: parent.replyCount + 1 })),
    )
  }
  return updateChannel(state, message.channelId, (entry) => {
    const known = entry.messages.some((m) => m.id === message.id)
    // a live message past a page loaded from the past is fetched when the reader scrolls there
    const messages = entry.hasNewer ? entry.messages : mergeMessages(entry.messages, [message])
    return {
      ...entry,
      messages,
      channel: {
        ...entry.channel,
        lastSeq: Math.max(entry.channel.lastSeq, message.seq),
        lastMessageAt: message.createdAt,
      },
      unreadCount: message.userId !== me && !known ? entry.unreadCount + 1 : entry.unreadCount,
    }
  })
}

/** Unread after my marker moved: none when it reached the end, else the loaded ones past it. */
function unreadAfter(entry: ChannelEntry, lastReadSeq: number, me: string): number {
  if (lastReadSeq >= entry.channel.lastSeq) return 0
  return entry.messages.filter((m) => !m.pending && m.seq > lastReadSeq && m.userId !== me).length
}

/** Applies a change to every list a message can be in: channel pages, thread parents and replies. */
function everywhere(state: ChatState, change: (list: StoredMessage[]) => StoredMessage[]): ChatState {
  let channels = state.channels
  for (const [id, entry] of Object.entries(state.channels)) {
    const messages = change(entry.messages)
    if (messages !== entry.messages) channels = { ...channels, [id]: { ...entry, messages } }
  }
  let threads = state.threads
  for (const [id, entry] of Object.entries(state.threads)) {
    const replies = change(entry.replies)
    const parents = entry.parent ? change([entry.parent]) : null
    const parent = parents && parents[0] !== entry.parent ? parents[0]! : entry.parent
    if (replies !== entry.replies || parent !== entry.parent)
      threads = { ...threads, [id]: { ...entry, replies, parent } }
  }
  return channels === state.channels && threads === state.threads ? state : { ...state, channels, threads }
}
