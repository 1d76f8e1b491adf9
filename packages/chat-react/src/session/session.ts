import { Centrifuge, type PublicationContext, type Subscription } from 'centrifuge'
import { ChatApi } from './api.js'
import { ChatApiError, Http, type Tokens } from './http.js'
import { SendQueue } from './send-queue.js'
import {
  addMessage,
  applyEvent,
  type ChatState,
  emptyEntry,
  initialState,
  mergeMessages,
  type StoredMessage,
  updateChannel,
  updateThread,
} from './store.js'
import type { Channel, Member, Message, Poll, RealtimeEvent } from './wire.js'

export interface ChatSessionOptions {
  /** Where ChatSDK answers: its API under /v1 and its gateway at /connection/websocket. */
  baseUrl: string
  userId: string
  /** Your backend's token route; called at start and again when a token is refused. */
  tokenProvider: () => Promise<Tokens>
  /** Where queued sends survive a reload (default: localStorage in browsers). */
  storage?: Pick<Storage, 'getItem' | 'setItem'> | null
}

const PAGE = 50
/** Event ids remembered to drop duplicates (recovery replays, reconnects). */
const SEEN_EVENTS = 2_000

/**
 * One signed-in person's chat: REST through the API, live events through the public `centrifuge`
 * client, and the state both keep current in one store the hooks subscribe to. Sends go through
 * a queue that survives going offline (and a reload) and is sent again with the same
 * clientMessageId, so the server stores each message once.
 */
export class ChatSession {
  readonly userId: string
  readonly api: ChatApi
  readonly store: { getState(): ChatState; subscribe(listener: () => void): () => void }
  private state: ChatState = initialState
  private readonly listeners = new Set<() => void>()
  private readonly http: Http
  private readonly centrifuge: Centrifuge
  private readonly subscriptions = new Map<string, Subscription>()
  private readonly seen = new Set<string>()
  private readonly queue: SendQueue
  private readonly cleanups: (() => void)[] = []

  constructor(options: ChatSessionOptions) {
    this.userId = options.userId
    this.http = new Http(options.baseUrl, options.tokenProvider)
    this.api = new ChatApi(this.http)
    this.store = {
      getState: () => this.state,
      subscribe: (listener) => {
        this.listeners.add(listener)
        return () => void this.listeners.delete(listener)
      },
    }
    const ws = new URL('/connection/websocket', options.baseUrl)
    ws.protocol = ws.protocol === 'https:' ? 'wss:' : 'ws:'
    this.centrifuge = new Centrifuge(ws.toString(), {
      getToken: async () => {
        const tokens = await this.http.tokens(true)
        return tokens.connectionToken ?? (await this.api.connectionToken()).connectionToken
      },
    })
    this.centrifuge.on('state', () => this.updateConnection())
    this.centrifuge.on('connected', () => {
      this.updateConnection()
      void this.queue.flush()
      void this.api.setPresence('online').catch(() => {})
    })
    this.queue = new SendQueue({
      storage: options.storage === undefined ? globalThis.localStorage : options.storage,
      isOnline: () => typeof navigator === 'undefined' || navigator.onLine !== false,
      key: `chatsdk:pending:${options.userId}`,
      send: (item) => this.api.sendMessage(item.channelId, item.input),
      onSent: (message) => this.set((state) => addMessage(state, message, this.userId)),
      onFailed: (local) => this.set((state) => placeLocal(state, { ...local, failed: true })),
      onChange: (count) => this.set((state) => ({ ...state, pendingCount: count })),
    })
    if (typeof window !== 'undefined') {
      // Offline, the socket would only retry into the void (and the browser logs each failure):
      // it is closed and opened again when the network is back.
      const online = () => {
        this.centrifuge.connect()
        this.updateConnection()
        void this.queue.flush()
      }
      const offline = () => {
        this.centrifuge.disconnect()
        this.updateConnection()
      }
      window.addEventListener('online', online)
      window.addEventListener('offline', offline)
      this.cleanups.push(() => {
        window.removeEventListener('online', online)
        window.removeEventListener('offline', offline)
      })
    }
  }

  connect(): void {
    this.centrifuge.connect()
    // messages queued before a reload show as pending until they go out
    for (const item of this.queue.items()) this.set((state) => placeLocal(state, item.local))
  }

  close(): void {
    for (const cleanup of this.cleanups) cleanup()
    this.centrifuge.disconnect()
    this.listeners.clear()
  }

  // ---- channels -----------------------------------------------------------------------------

  async queryChannels(): Promise<void> {
    this.set((state) => ({ ...state, channelsStatus: 'loading' }))
    try {
      const { channels } = await this.api.listChannels()
      this.set((state) => {
        const next = { ...state.channels }
        for (const item of channels) {
          const known = next[item.id]
          next[item.id] = known
            ? { ...known, channel: item, unreadCount: item.unreadCount }
            : emptyEntry(item, [], item.unreadCount)
        }
        const order = [...channels]
          .sort((a, b) => (b.lastMessageAt ?? b.createdAt).localeCompare(a.lastMessageAt ?? a.createdAt))
          .map((item) => item.id)
        return { ...state, channels: next, channelOrder: order, channelsStatus: 'ready', channelsError: null }
      })
      for (const item of channels) this.follow(item)
      await Promise.all(channels.map((item) => this.loadMembers(item.id)))
    } catch (error) {
      this.set((state) => ({ ...state, channelsStatus: 'error', channelsError: messageOf(error) }))
    }
  }

  async loadChannel(channelId: string): Promise<void> {
    if (this.state.channels[channelId]?.members.length) return
    try {
      const { channel, members } = await this.api.getChannel(channelId)
      this.set((state) => ({
        ...state,
        channels: {
          ...state.channels,
          [channelId]: state.channels[channelId]
            ? withMembers({ ...state.channels[channelId]!, channel }, members)
            : emptyEntry(channel, members),
        },
      }))
      this.follow(channel)
    } catch (error) {
      this.set((state) => ({
        ...state,
        channelErrors: { ...state.channelErrors, [channelId]: messageOf(error) },
      }))
    }
  }

  private async loadMembers(channelId: string): Promise<void> {
    const { members } = await this.api.getChannel(channelId)
    this.set((state) => updateChannel(state, channelId, (entry) => withMembers(entry, members)))
  }

  /** Live events of a channel, recovered after a reconnect or reloaded when recovery fails. */
  private follow(channel: Channel): void {
    const name = channel.realtimeChannel
    if (this.subscriptions.has(name)) return
    const subscription = this.centrifuge.newSubscription(name, { recoverable: true, positioned: true })
    subscription.on('publication', (ctx: PublicationContext) => this.onEvent(ctx.data as RealtimeEvent))
    subscription.on('subscribed', (ctx) => {
      if (ctx.wasRecovering && !ctx.recovered) void this.fillGap(channel.id)
    })
    subscription.subscribe()
    this.subscriptions.set(name, subscription)
  }

  private onEvent(event: RealtimeEvent): void {
    if (this.seen.has(event.id)) return
    this.seen.add(event.id)
    if (this.seen.size > SEEN_EVENTS) this.seen.delete(this.seen.values().next().value!)
    const channelId = event.payload.message?.channelId as string | undefined
    const entry = channelId ? this.state.channels[channelId] : undefined
    // a message past the next seq means events were missed: fetch what lies between
    if (event.type === 'message.new' && entry && event.seq && entry.status === 'ready' && !entry.hasNewer) {
      const last = lastSeq(entry.messages)
      if (event.seq > last + 1) void this.fillGap(channelId!)
    }
    this.set((state) => applyEvent(state, event, this.userId))
    if (event.type === 'member.added' && event.payload.userId === this.userId) void this.queryChannels()
  }

  /** Fetches the messages after the last one loaded (recovery failed, or a gap in seq). */
  private async fillGap(channelId: string): Promise<void> {
    const entry = this.state.channels[channelId]
    if (entry?.status !== 'ready') return
    const { messages } = await this.api.listMessages(channelId, {
      after: lastSeq(entry.messages),
      limit: 200,
    })
    this.set((state) =>
      updateChannel(state, channelId, (current) => ({
        ...current,
        messages: mergeMessages(current.messages, messages),
      })),
    )
  }

  // ---- messages -----------------------------------------------------------------------------

  /** Loads the channel's latest page (or the page around the first unread message) once. */
  watchChannel(channelId: string): () => void {
    void this.loadChannel(channelId).then(() => {
      const entry = this.state.channels[channelId]
      if (entry && entry.status === 'idle') void this.loadLatest(channelId)
    })
    return () => {}
  }

  async loadLatest(channelId: string): Promise<void> {
    this.set((state) =>
      updateChannel(state, channelId, (entry) => ({ ...entry, status: 'loading', error: null })),
    )
    try {
      const entry = this.state.channels[channelId]!
      const me = entry.members.find((member) => member.userId === this.userId)
      const lastRead = me?.lastReadSeq ?? entry.channel.lastSeq
      // the server's count leaves out one's own messages: only others' unread ones move the start
      const unreadFar = entry.unreadCount > PAGE && entry.channel.lastSeq - lastRead > PAGE
      const { messages } = await this.api.listMessages(
        channelId,
        unreadFar ? { around: lastRead + 1, limit: PAGE } : { limit: PAGE },
      )
      const firstUnread = messages.find((m) => m.seq > lastRead && m.userId !== this.userId)
      this.set((state) =>
        updateChannel(state, channelId, (current) => ({
          ...current,
          messages: mergeMessages(
            current.messages.filter((m) => m.pending),
            messages,
          ),
          firstUnreadId: firstUnread?.id ?? null,
          hasOlder: (messages[0]?.seq ?? 1) > 1,
          hasNewer: unreadFar && lastSeq(messages) < current.channel.lastSeq,
          status: 'ready',
        })),
      )
    } catch (error) {
      this.set((state) =>
        updateChannel(state, channelId, (entry) => ({ ...entry, status: 'ready', error: messageOf(error) })),
      )
    }
  }

  async loadOlder(channelId: string): Promise<void> {
    const entry = this.state.channels[channelId]
    if (!entry || entry.loadingOlder || !entry.hasOlder) return
    const first = entry.messages.find((m) => !m.pending)
    if (!first) return
    this.set((state) => updateChannel(state, channelId, (e) => ({ ...e, loadingOlder: true })))
    try {
      const { messages } = await this.api.listMessages(channelId, { before: first.seq, limit: PAGE })
      this.set((state) =>
        updateChannel(state, channelId, (e) => ({
          ...e,
          messages: mergeMessages(e.messages, messages),
          hasOlder: messages.length === PAGE && (messages[0]?.seq ?? 1) > 1,
          loadingOlder: false,
        })),
      )
    } catch (error) {
      this.set((state) =>
        updateChannel(state, channelId, (e) => ({ ...e, loadingOlder: false, error: messageOf(error) })),
      )
    }
  }

  async loadNewer(channelId: string): Promise<void> {
    const entry = this.state.channels[channelId]
    if (!entry || entry.loadingNewer || !entry.hasNewer) return
    this.set((state) => updateChannel(state, channelId, (e) => ({ ...e, loadingNewer: true })))
    try {
      const { messages } = await this.api.listMessages(channelId, {
        after: lastSeq(entry.messages),
        limit: PAGE,
      })
      this.set((state) =>
        updateChannel(state, channelId, (e) => ({
          ...e,
          messages: mergeMessages(e.messages, messages),
          hasNewer: messages.length === PAGE,
          loadingNewer: false,
        })),
      )
    } catch (error) {
      this.set((state) =>
        updateChannel(state, channelId, (e) => ({ ...e, loadingNewer: false, error: messageOf(error) })),
      )
    }
  }

  /** Shows the message at once as pending and queues it; resolves when the server has it. */
  sendMessage(
    channelId: string,
    input: {
      text: string
      mentions?: string[]
      attachments?: { uploadId: string }[]
      parentId?: string
      custom?: Record<string, unknown>
    },
  ): Promise<void> {
    const clientMessageId = crypto.randomUUID()
    const local: StoredMessage = {
      id: `local:${clientMessageId}`,
      channelId,
      seq: 0,
      userId: this.userId,
      text: input.text,
      type: input.parentId ? 'reply' : 'regular',
      parentId: input.parentId ?? null,
      quotedMessageId: null,
      mentions: input.mentions ?? [],
      attachments: [],
      custom: input.custom ?? {},
      clientMessageId,
      replyCount: 0,
      threadParticipants: [],
      editedAt: null,
      deletedAt: null,
      createdAt: new Date().toISOString(),
      updatedAt: new Date().toISOString(),
      reactionCounts: {},
      ownReactions: [],
      pending: true,
    }
    this.set((state) => placeLocal(state, local))
    return this.queue.add({ channelId, input: { ...input, clientMessageId }, local })
  }

  retry(clientMessageId: string): void {
    const local = this.findLocal(clientMessageId)
    if (!local) return
    const pending = { ...local, failed: false, pending: true }
    this.set((state) => placeLocal(state, pending))
    const { id: _id, ...rest } = local
    void this.queue.add({
      channelId: local.channelId,
      input: {
        text: rest.text,
        clientMessageId,
        mentions: rest.mentions,
        ...(rest.parentId ? { parentId: rest.parentId } : {}),
      },
      local: pending,
    })
  }

  discard(clientMessageId: string): void {
    const drop = (list: StoredMessage[]) =>
      list.filter((m) => m.clientMessageId !== clientMessageId || !m.pending)
    this.set((state) => {
      const channels = Object.fromEntries(
        Object.entries(state.channels).map(([id, entry]) => [
          id,
          { ...entry, messages: drop(entry.messages) },
        ]),
      )
      const threads = Object.fromEntries(
        Object.entries(state.threads).map(([id, entry]) => [id, { ...entry, replies: drop(entry.replies) }]),
      )
      return { ...state, channels, threads }
    })
  }

  private findLocal(clientMessageId: string): StoredMessage | undefined {
    for (const entry of Object.values(this.state.channels)) {
      const found = entry.messages.find((m) => m.clientMessageId === clientMessageId && m.pending)
      if (found) return found
    }
    for (const entry of Object.values(this.state.threads)) {
      const found = entry.replies.find((m) => m.clientMessageId === clientMessageId && m.pending)
      if (found) return found
    }
    return undefined
  }

  async markRead(channelId: string): Promise<void> {
    const entry = this.state.channels[channelId]
    if (!entry || entry.unreadCount === 0) return
    this.set((state) => updateChannel(state, channelId, (e) => ({ ...e, unreadCount: 0 })))
    await this.api.markRead(channelId).catch(() => {})
  }

  async react(messageId: string, type: string): Promise<void> {
    const { reactionCounts } = await this.api.addReaction(messageId, type)
    this.set((state) =>
      applyEvent(
        state,
        {
          id: `local:${messageId}:${type}:+`,
          type: 'reaction.new',
          payload: { messageId, type, userId: this.userId, reactionCounts },
          createdAt: '',
        },
        this.userId,
      ),
    )
  }

  async unreact(messageId: string, type: string): Promise<void> {
    const { reactionCounts } = await this.api.removeReaction(messageId, type)
    this.set((state) =>
      applyEvent(
        state,
        {
          id: `local:${messageId}:${type}:-`,
          type: 'reaction.deleted',
          payload: { messageId, type, userId: this.userId, reactionCounts },
          createdAt: '',
        },
        this.userId,
      ),
    )
  }

  // ---- threads, typing, polls ---------------------------------------------------------------

  watchThread(parentId: string): () => void {
    if (!this.state.threads[parentId]) {
      this.set((state) => ({
        ...state,
        threads: {
          ...state.threads,
          [parentId]: { parent: null, replies: [], status: 'loading', error: null },
        },
      }))
      void Promise.all([this.api.getMessage(parentId), this.api.listReplies(parentId, { limit: 200 })]).then(
        ([{ message }, { messages }]) =>
          this.set((state) =>
            updateThread(state, parentId, (entry) => ({
              ...entry,
              parent: message,
              replies: mergeMessages(entry.replies, messages),
              status: 'ready',
            })),
          ),
        (error: unknown) =>
          this.set((state) =>
            updateThread(state, parentId, (entry) => ({
              ...entry,
              status: 'ready',
              error: messageOf(error),
            })),
          ),
      )
    }
    return () => {}
  }

  async typing(channelId: string, active: boolean, parentId?: string): Promise<void> {
    if (this.state.connection !== 'connected') return
    await this.api
      .typing(channelId, { state: active ? 'start' : 'stop', ...(parentId ? { parentId } : {}) })
      .catch(() => {})
  }

  async loadPoll(pollId: string): Promise<void> {
    this.storePoll(await this.api.getPoll(pollId))
  }

  async vote(pollId: string, optionId: string): Promise<void> {
    const poll = this.state.polls[pollId]
    // a single-choice poll replaces the earlier choice
    const optionIds = poll?.multiple ? [...new Set([...poll.ownVotes, optionId])] : [optionId]
    this.storePoll(await this.api.vote(pollId, { optionIds }))
  }

  async unvote(pollId: string, optionId: string): Promise<void> {
    this.storePoll(await this.api.unvote(pollId, { optionId }))
  }

  async closePoll(pollId: string): Promise<void> {
    this.storePoll(await this.api.closePoll(pollId))
  }

  private storePoll({ poll }: { poll: Poll }): void {
    this.set((state) => ({ ...state, polls: { ...state.polls, [poll.id]: poll } }))
  }

  // ---- internals ----------------------------------------------------------------------------

  private updateConnection(): void {
    const live = this.centrifuge.state === 'connected'
    const offline = typeof navigator !== 'undefined' && navigator.onLine === false
    const connection = live && !offline ? 'connected' : offline ? 'offline' : 'connecting'
    if (connection !== this.state.connection) this.set((state) => ({ ...state, connection }))
  }

  private set(change: (state: ChatState) => ChatState): void {
    const next = change(this.state)
    if (next === this.state) return
    this.state = next
    for (const listener of [...this.listeners]) listener()
  }
}

/** Shows a local message (pending or failed) in its channel or thread, replacing its older copy. */
function placeLocal(state: ChatState, message: StoredMessage): ChatState {
  const parentId = message.parentId
  if (parentId) {
    return updateThread(state, parentId, (entry) => ({
      ...entry,
      replies: mergeMessages(entry.replies, [message]),
    }))
  }
  return updateChannel(state, message.channelId, (entry) => ({
    ...entry,
    messages: mergeMessages(entry.messages, [message]),
  }))
}

function withMembers(entry: ReturnType<typeof emptyEntry>, members: Member[]) {
  return {
    ...entry,
    members,
    reads: { ...Object.fromEntries(members.map((m) => [m.userId, m.lastReadSeq])), ...entry.reads },
  }
}

function lastSeq(messages: readonly StoredMessage[]): number {
  for (let index = messages.length - 1; index >= 0; index--)
    if (!messages[index]!.pending) return messages[index]!.seq
  return 0
}

function messageOf(error: unknown): string {
  return error instanceof ChatApiError || error instanceof Error ? error.message : String(error)
}

export type { Message }
