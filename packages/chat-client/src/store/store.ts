import type { ChannelListItem, Member, Message, Poll, UserProfile } from '../types.js'
import type { Emitter } from './emitter.js'
import type {
  ChannelPaging,
  ChatEvent,
  ClientEvents,
  PendingMessage,
  PresenceEntry,
  ThreadStatus,
  TypingUser,
} from './events.js'
import { mergeMessages, updateMessage } from './message-list.js'

/** Typing indicators lapse after this long without a new `typing.start` (the server throttles at 2 s). */
export const TYPING_TTL_MS = 6_000
const EMPTY: readonly never[] = Object.freeze([])
const IDLE_PAGING: ChannelPaging = Object.freeze({
  status: 'idle',
  hasOlder: false,
  hasNewer: false,
  loadingOlder: false,
  loadingNewer: false,
  firstUnreadId: null,
  error: null,
  failed: null,
  channelError: null,
})
const IDLE_THREAD: ThreadStatus = Object.freeze({ status: 'idle', error: null })

/**
 * The local copy of what the user sees: channels, messages, threads, reactions, unread counts,
 * read markers, typing, presence, polls and pending sends. No framework: read with the getters,
 * listen with the client's `on`. Getters return immutable snapshots that are replaced (never
 * mutated) on change, so `a === b` tells whether anything changed.
 */
export class ChatStore {
  private channelMap = new Map<string, ChannelListItem>()
  private channelList: readonly ChannelListItem[] = EMPTY
  private readonly messages = new Map<string, readonly Message[]>()
  private readonly threads = new Map<string, readonly Message[]>()
  /** channelId -> userId -> last read seq */
  private readonly reads = new Map<string, Readonly<Record<string, number>>>()
  private readonly typing = new Map<string, readonly TypingUser[]>()
  private readonly presence = new Map<string, PresenceEntry>()
  private readonly polls = new Map<string, Poll>()
  private readonly members = new Map<string, readonly Member[]>()
  private readonly paging = new Map<string, ChannelPaging>()
  private readonly threadStatus = new Map<string, ThreadStatus>()
  private readonly users = new Map<string, UserProfile>()
  private profilesArrived = 0
  private channelsError: string | null = null
  private pending: readonly PendingMessage[] = EMPTY
  private readonly pendingViews = new Map<
    string,
    { sent: readonly Message[]; pending: readonly PendingMessage[]; out: readonly PendingMessage[] }
  >()

  constructor(
    private readonly emitter: Emitter<ClientEvents>,
    /** The signed-in user: own messages never count as unread, own typing is not shown. */
    readonly userId: string,
    private readonly now: () => number = Date.now,
  ) {}

  // ---- reading

  /** Channels, most recent activity first. */
  getChannels(): readonly ChannelListItem[] {
    return this.channelList
  }
  /** Why the last refresh of the channel list failed (the list shown is the one before it). */
  getChannelsError(): string | null {
    return this.channelsError
  }
  getChannel(channelId: string): ChannelListItem | undefined {
    return this.channelMap.get(channelId)
  }
  /** Top-level messages of a channel in seq order (thread replies are under `getThread`). */
  getMessages(channelId: string): readonly Message[] {
    return this.messages.get(channelId) ?? EMPTY
  }
  /** The replies of a thread in seq order. */
  getThread(parentId: string): readonly Message[] {
    return this.threads.get(parentId) ?? EMPTY
  }
  /**
   * Sends to this channel (or thread) the server has not confirmed, oldest first. A send the
   * server took stays in the queue until its HTTP answer; it is hidden as soon as the message
   * itself is in the list (realtime can be faster than that answer).
   */
  getPending(channelId: string, parentId: string | null = null): readonly PendingMessage[] {
    const sent = parentId ? this.getThread(parentId) : this.getMessages(channelId)
    const key = `${channelId}\u0000${parentId ?? ''}`
    const cached = this.pendingViews.get(key)
    if (cached && cached.sent === sent && cached.pending === this.pending) return cached.out
    const confirmed = new Set(sent.map((m) => m.clientMessageId).filter(Boolean))
    const out = this.pending.filter(
      (p) => p.channelId === channelId && p.parentId === parentId && !confirmed.has(p.clientMessageId),
    )
    const stable = cached && sameItems(cached.out, out) ? cached.out : out.length > 0 ? out : EMPTY
    this.pendingViews.set(key, { sent, pending: this.pending, out: stable })
    return stable
  }

  getAllPending(): readonly PendingMessage[] {
    return this.pending
  }
  getUnreadCount(channelId: string): number {
    return this.channelMap.get(channelId)?.unreadCount ?? 0
  }
  getTotalUnreadCount(): number {
    let total = 0
    for (const channel of this.channelList) total += channel.unreadCount
    return total
  }
  /** userId -> the last seq that user has read in the channel (members seen so far). */
  getReads(channelId: string): Readonly<Record<string, number>> {
    return this.reads.get(channelId) ?? {}
  }
  /** Users (not me) typing in the channel; `parentId` tells a thread's typists apart. */
  getTyping(channelId: string): readonly TypingUser[] {
    return this.typing.get(channelId) ?? EMPTY
  }
  getPresence(userId: string): PresenceEntry | undefined {
    return this.presence.get(userId)
  }
  getPoll(pollId: string): Poll | undefined {
    return this.polls.get(pollId)
  }
  /** The channel's members once loaded (`client.loadChannel`), with their roles and read markers. */
  getMembers(channelId: string): readonly Member[] {
    return this.members.get(channelId) ?? EMPTY
  }
  /** What is loaded of the channel's history, and what is loading. */
  getPaging(channelId: string): ChannelPaging {
    return this.paging.get(channelId) ?? IDLE_PAGING
  }
  getThreadStatus(parentId: string): ThreadStatus {
    return this.threadStatus.get(parentId) ?? IDLE_THREAD
  }
  /** A user's public profile, once `client.loadUser` fetched it. */
  getUser(userId: string): UserProfile | undefined {
    return this.users.get(userId)
  }
  /** Grows whenever a profile arrives: bindings that show names re-read them then. */
  get usersRevision(): number {
    return this.profilesArrived
  }
  /** Finds a loaded message in any channel or thread. */
  findMessage(messageId: string): Message | undefined {
    for (const lists of [this.messages, this.threads]) {
      for (const list of lists.values()) {
        const found = list.find((m) => m.id === messageId)
        if (found) return found
      }
    }
    return undefined
  }

  // ---- writing: loads from the API

  setChannels(channels: readonly ChannelListItem[]): void {
    this.channelsError = null
    this.channelMap = new Map(channels.map((c) => [c.id, c]))
    this.sortChannels()
    this.emitter.emit('channels', {})
    this.emitter.emit('unread', {})
  }

  /** A refresh of the channel list failed (`null`: the failure was dealt with). */
  setChannelsError(error: string | null): void {
    this.channelsError = error
    this.emitter.emit('channels', {})
  }

  upsertChannel(channel: ChannelListItem): void {
    this.channelMap.set(channel.id, channel)
    this.sortChannels()
    this.emitter.emit('channels', {})
  }

  removeChannel(channelId: string): void {
    if (!this.channelMap.delete(channelId)) return
    this.messages.delete(channelId)
    this.sortChannels()
    this.emitter.emit('channels', {})
    this.emitter.emit('unread', {})
  }

  addMessages(channelId: string, messages: readonly Message[]): void {
    const topLevel = messages.filter((m) => !m.parentId)
    const before = this.getMessages(channelId)
    const after = mergeMessages(before, topLevel)
    if (after !== before) {
      this.messages.set(channelId, after)
      this.emitter.emit('messages', { channelId })
    }
    for (const reply of messages.filter((m) => m.parentId))
      this.addReplies(channelId, reply.parentId!, [reply])
  }

  /**
   * Messages that happened after what the list shows (realtime, gap fills). A list that is a
   * window in the past leaves them on the server: `loadNewer` brings them in order.
   */
  addLatest(channelId: string, messages: readonly Message[]): void {
    if (this.getPaging(channelId).hasNewer) return
    this.addMessages(channelId, messages)
  }

  /** Replaces a channel's messages (after a reload that could not be merged: recovery failed). */
  replaceMessages(channelId: string, messages: readonly Message[]): void {
    this.messages.set(channelId, mergeMessages(EMPTY, messages))
    this.emitter.emit('messages', { channelId })
  }

  addReplies(channelId: string, parentId: string, replies: readonly Message[]): void {
    const before = this.getThread(parentId)
    const after = mergeMessages(before, replies)
    if (after === before) return
    this.threads.set(parentId, after)
    this.emitter.emit('thread', { channelId, parentId })
  }

  setUnread(counts: readonly { channelId: string; unreadCount: number }[]): void {
    let changed = false
    for (const { channelId, unreadCount } of counts) {
      const channel = this.channelMap.get(channelId)
      if (!channel || channel.unreadCount === unreadCount) continue
      this.channelMap.set(channelId, { ...channel, unreadCount })
      changed = true
    }
    if (!changed) return
    this.sortChannels()
    this.emitter.emit('channels', {})
    this.emitter.emit('unread', {})
  }

  setReads(channelId: string, reads: Readonly<Record<string, number>>): void {
    this.reads.set(channelId, { ...this.getReads(channelId), ...reads })
    this.emitter.emit('reads', { channelId })
  }

  setPoll(poll: Poll): void {
    this.polls.set(poll.id, poll)
    this.emitter.emit('poll', { pollId: poll.id })
  }

  /** Members as the API lists them; their read markers feed the read receipts. */
  setMembers(channelId: string, members: readonly Member[]): void {
    this.members.set(channelId, members)
    this.emitter.emit('members', { channelId })
    const held = this.getReads(channelId)
    const newer = members.filter((m) => m.lastReadSeq > (held[m.userId] ?? -1))
    if (newer.length > 0)
      this.setReads(channelId, Object.fromEntries(newer.map((m) => [m.userId, m.lastReadSeq])))
  }

  setPaging(channelId: string, change: Partial<ChannelPaging>): void {
    this.paging.set(channelId, { ...this.getPaging(channelId), ...change })
    this.emitter.emit('paging', { channelId })
  }

  setThreadStatus(channelId: string, parentId: string, status: ThreadStatus): void {
    this.threadStatus.set(parentId, status)
    this.emitter.emit('thread', { channelId, parentId })
  }

  setUser(user: UserProfile): void {
    this.users.set(user.id, user)
    this.profilesArrived++
    this.emitter.emit('user', { userId: user.id })
  }

  /**
   * Users the server reports connected now. Presence events say who comes and goes; this is who
   * was already there when we subscribed.
   */
  setOnline(userIds: readonly string[]): void {
    for (const userId of userIds) {
      if (this.presence.get(userId)?.status === 'online') continue
      // no time: the next event about this user, from any clock, wins over it
      this.presence.set(userId, { status: 'online', at: '' })
      this.emitter.emit('presence', { userId })
    }
  }

  /** The answer to one's own reaction call: counts from the server, one's own set changed. */
  setOwnReaction(messageId: string, type: string, on: boolean, reactionCounts: Record<string, number>): void {
    const message = this.findMessage(messageId)
    if (!message) return
    this.changeMessage(message.channelId, messageId, (held) => ({
      ...held,
      reactionCounts,
      ownReactions: on
        ? [...new Set([...held.ownReactions, type])]
        : held.ownReactions.filter((t) => t !== type),
    }))
  }

  setPending(pending: readonly PendingMessage[]): void {
    const channels = new Set([...this.pending, ...pending].map((p) => p.channelId))
    this.pending = pending
    for (const channelId of channels) this.emitter.emit('pending', { channelId })
  }

  // ---- writing: realtime events (already deduplicated by id)

  apply(event: ChatEvent): void {
    switch (event.type) {
      case 'message.new':
      case 'thread.reply':
        this.onMessage((event as ChatEvent<'message.new'>).payload)
        return
      case 'message.updated': {
        const { message } = (event as ChatEvent<'message.updated'>).payload
        this.changeMessage(message.channelId, message.id, (held) => ({
          ...message,
          // the event is built without the reader's own reactions
          ownReactions: held.ownReactions,
        }))
        return
      }
      case 'message.deleted': {
        const { messageId, channelId, hard } = (event as ChatEvent<'message.deleted'>).payload
        const at = event.createdAt ?? new Date(this.now()).toISOString()
        this.changeMessage(channelId, messageId, (held) =>
          hard ? undefined : { ...held, text: '', attachments: [], deletedAt: held.deletedAt ?? at },
        )
        return
      }
      case 'reaction.new':
      case 'reaction.deleted': {
        const { messageId, channelId, userId, type, reactionCounts } = (event as ChatEvent<'reaction.new'>)
          .payload
        const mine = userId === this.userId
        this.changeMessage(channelId, messageId, (held) => ({
          ...held,
          reactionCounts,
          ownReactions: !mine
            ? held.ownReactions
            : event.type === 'reaction.new'
              ? [...new Set([...held.ownReactions, type])]
              : held.ownReactions.filter((t) => t !== type),
        }))
        return
      }
      case 'read.updated': {
        const { channelId, userId, lastReadSeq } = (event as ChatEvent<'read.updated'>).payload
        const held = this.getReads(channelId)[userId] ?? -1
        if (lastReadSeq > held) this.setReads(channelId, { [userId]: lastReadSeq })
        if (userId === this.userId) this.onOwnRead(channelId, lastReadSeq)
        return
      }
      case 'typing.start':
      case 'typing.stop':
        this.onTyping(event as ChatEvent<'typing.start' | 'typing.stop'>)
        return
      case 'presence.changed': {
        const { userId, status, at } = (event as ChatEvent<'presence.changed'>).payload
        const held = this.presence.get(userId)
        if (held && held.at > at) return
        this.presence.set(userId, { status, at })
        this.emitter.emit('presence', { userId })
        return
      }
      case 'poll.updated': {
        const { poll } = (event as ChatEvent<'poll.updated'>).payload
        // the event is built for every reader, without the reader's own votes
        this.setPoll({ ...poll, ownVotes: this.polls.get(poll.id)?.ownVotes ?? [] })
        return
      }
      case 'channel.updated': {
        const { channel } = (event as ChatEvent<'channel.updated'>).payload
        const held = this.channelMap.get(channel.id)
        if (held) this.upsertChannel({ ...held, ...channel })
        return
      }
      case 'channel.deleted':
        this.removeChannel((event as ChatEvent<'channel.deleted'>).payload.channelId)
        return
      default:
        return
    }
  }

  /** Drops typing indicators whose time ran out; the client calls it on a timer. */
  expireTyping(): void {
    const now = this.now()
    for (const [channelId, list] of this.typing) {
      const live = list.filter((t) => t.expiresAt > now)
      if (live.length === list.length) continue
      this.typing.set(channelId, live)
      this.emitter.emit('typing', { channelId })
    }
  }

  private onMessage({ message, parentId }: { message: Message; parentId?: string }): void {
    const channelId = message.channelId
    if (parentId) {
      const known = this.getThread(parentId).some((m) => m.id === message.id)
      this.addReplies(channelId, parentId, [message])
      if (!known) {
        this.changeMessage(channelId, parentId, (parent) => ({
          ...parent,
          replyCount: Math.max(parent.replyCount, this.getThread(parentId).length),
          threadParticipants: message.userId
            ? [...new Set([...parent.threadParticipants, message.userId])]
            : parent.threadParticipants,
        }))
      }
    } else {
      const known = this.getMessages(channelId).some((m) => m.id === message.id)
      this.addLatest(channelId, [message])
      if (known) return
      const channel = this.channelMap.get(channelId)
      if (channel) {
        const unread =
          message.userId !== this.userId && message.seq > (this.getReads(channelId)[this.userId] ?? -1)
        this.channelMap.set(channelId, {
          ...channel,
          lastSeq: Math.max(channel.lastSeq, message.seq),
          lastMessageAt: message.createdAt,
          unreadCount: channel.unreadCount + (unread ? 1 : 0),
        })
        this.sortChannels()
        this.emitter.emit('channels', {})
        if (unread) this.emitter.emit('unread', { channelId })
      }
    }
    // a message from someone ends their typing indicator
    if (message.userId) this.dropTyping(channelId, message.userId)
  }

  private onOwnRead(channelId: string, lastReadSeq: number): void {
    const channel = this.channelMap.get(channelId)
    if (!channel) return
    // unread = loaded messages from others after the marker; exact when the marker reaches the end
    const unread =
      lastReadSeq >= channel.lastSeq
        ? 0
        : this.getMessages(channelId).filter(
            (m) => m.seq > lastReadSeq && m.userId !== this.userId && !m.deletedAt,
          ).length
    this.setUnread([{ channelId, unreadCount: Math.min(unread, channel.unreadCount) }])
  }

  private onTyping(event: ChatEvent<'typing.start' | 'typing.stop'>): void {
    const { channelId, userId, parentId } = event.payload
    if (userId === this.userId) return
    if (event.type === 'typing.stop') {
      this.dropTyping(channelId, userId)
      return
    }
    const others = (this.typing.get(channelId) ?? EMPTY).filter((t) => t.userId !== userId)
    this.typing.set(channelId, [
      ...others,
      { userId, parentId: parentId ?? null, expiresAt: this.now() + TYPING_TTL_MS },
    ])
    this.emitter.emit('typing', { channelId })
  }

  private dropTyping(channelId: string, userId: string): void {
    const list = this.typing.get(channelId)
    if (!list?.some((t) => t.userId === userId)) return
    this.typing.set(
      channelId,
      list.filter((t) => t.userId !== userId),
    )
    this.emitter.emit('typing', { channelId })
  }

  private changeMessage(
    channelId: string,
    messageId: string,
    change: (message: Message) => Message | undefined,
  ): void {
    const top = this.getMessages(channelId)
    const nextTop = updateMessage(top, messageId, change)
    if (nextTop !== top) {
      this.messages.set(channelId, nextTop)
      this.emitter.emit('messages', { channelId })
      return
    }
    for (const [parentId, replies] of this.threads) {
      const next = updateMessage(replies, messageId, change)
      if (next === replies) continue
      this.threads.set(parentId, next)
      this.emitter.emit('thread', { channelId, parentId })
      return
    }
  }

  private sortChannels(): void {
    this.channelList = [...this.channelMap.values()].sort((a, b) =>
      (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt),
    )
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  return a.length === b.length && a.every((item, i) => item === b[i])
}
