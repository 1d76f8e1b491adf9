import { ChatApi } from './api.js'
import { jwtClaims, TokenManager, type TokenProvider } from './auth/tokens.js'
import type { BackoffOptions } from './http/backoff.js'
import { ChatError } from './http/errors.js'
import { type RetryOptions, Transport } from './http/transport.js'
import { defaultIdbFactory, IndexedDbPendingStorage } from './offline/indexeddb.js'
import { OfflineQueue } from './offline/queue.js'
import { MemoryPendingStorage, type PendingStorage } from './offline/storage.js'
import { RealtimeConnection } from './realtime/connection.js'
import type { ConnectionState } from './realtime/connection-state.js'
import { Emitter } from './store/emitter.js'
import type { ChatEvent, ClientEvents, LoadKind } from './store/events.js'
import { SequenceTracker } from './store/sequence.js'
import { ChatStore } from './store/store.js'
import type { Message, Poll, PresenceStatus, SendMessageInput } from './types.js'

export interface ChatClientOptions {
  /** The ChatSDK server, e.g. `https://chat.example.com` (the API is under `/v1`). */
  baseUrl: string
  /** Gets a user token set from your backend; see TokenProvider. */
  tokenProvider: TokenProvider
  /** Realtime endpoint; default `ws(s)://<baseUrl host>/connection/websocket`. */
  realtimeUrl?: string
  /** WebSocket constructor for platforms without a global one (Node 20: `import { WebSocket } from 'ws'`). */
  WebSocket?: unknown
  /** Where unsent messages wait: IndexedDB in browsers, memory elsewhere by default. */
  pendingStorage?: PendingStorage
  /** REST retries of idempotent calls. */
  retry?: Partial<RetryOptions>
  /** Realtime reconnect delay bounds (ms). */
  reconnect?: { minDelayMs?: number; maxDelayMs?: number }
  /** Offline queue retry backoff. */
  sendBackoff?: BackoffOptions
  /** Messages loaded per page. */
  pageSize?: number
  fetch?: typeof fetch
}

/** Type events last this long on the server side; `typing()` re-announces no faster than this. */
const TYPING_THROTTLE_MS = 2_000
/** More missed messages than this after a failed recovery: show the latest page instead of filling. */
const MAX_FILL_PAGES = 5

/**
 * The ChatSDK client: typed REST (`api`), a realtime connection through `centrifuge`, a local
 * store (`store`) kept current by both, and an offline queue for sends.
 *
 * ```ts
 * const client = new ChatClient({ baseUrl, tokenProvider: () => fetch('/my/chat-token').then((r) => r.json()) })
 * await client.connect()
 * client.on('messages', ({ channelId }) => render(client.store.getMessages(channelId)))
 * await client.sendMessage('general', { text: 'hello' })
 * ```
 */
export class ChatClient {
  readonly api: ChatApi
  private readonly emitter = new Emitter<ClientEvents>()
  private readonly tokens: TokenManager
  private session:
    | {
        store: ChatStore
        realtime: RealtimeConnection
        queue: OfflineQueue
        appId: string
        typingTimer: ReturnType<typeof setInterval>
      }
    | undefined
  private readonly seenEvents = new Set<string>()
  private readonly seenOrder: string[] = []
  private readonly sequences = new Map<string, SequenceTracker>()
  private readonly reloading = new Map<string, Promise<void>>()
  private readonly lastTyping = new Map<string, number>()
  private readonly userRequests = new Map<string, Promise<void>>()
  private loaded = false

  constructor(private readonly options: ChatClientOptions) {
    this.tokens = new TokenManager(options.tokenProvider)
    const transport = new Transport({
      baseUrl: options.baseUrl,
      tokens: this.tokens,
      ...(options.fetch ? { fetch: options.fetch } : {}),
      ...(options.retry ? { retry: options.retry } : {}),
    })
    this.api = new ChatApi(transport, this.tokens)
  }

  /** Listens to a client event; returns the function that stops listening. */
  on<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): () => void {
    return this.emitter.on(event, listener)
  }
  off<E extends keyof ClientEvents>(event: E, listener: (payload: ClientEvents[E]) => void): void {
    this.emitter.off(event, listener)
  }

  /** The local state; throws before `connect()`. */
  get store(): ChatStore {
    return this.active().store
  }
  get userId(): string {
    return this.active().store.userId
  }
  get connectionState(): ConnectionState {
    return this.session?.realtime.state ?? 'idle'
  }
  /** True once `connect()` has signed in and loaded the channel list: `store` can be read. */
  get ready(): boolean {
    return this.loaded
  }

  /**
   * Calls `listener` after any change (store, connection, realtime event), without saying what:
   * for UI bindings that re-read what they show (React's useSyncExternalStore).
   */
  subscribe(listener: () => void): () => void {
    return this.emitter.onAny(listener)
  }
  /** Grows with every change: equal revisions mean nothing changed in between. */
  get revision(): number {
    return this.emitter.revision
  }

  /**
   * Signs in with the token provider, loads the user's channels and unread counts, restores
   * unsent messages and opens the realtime connection (subscribing to every channel). Resolves
   * once the data is loaded; realtime goes on connecting in the background (see `connection`).
   */
  async connect(): Promise<void> {
    if (this.session) return
    const accessToken = await this.tokens.accessToken()
    const { sub: userId, app: appId } = claimsOf(accessToken)
    const store = new ChatStore(this.emitter, userId)
    const storage =
      this.options.pendingStorage ??
      (defaultIdbFactory() ? new IndexedDbPendingStorage(defaultIdbFactory()!) : new MemoryPendingStorage())
    const queue: OfflineQueue = new OfflineQueue({
      storage,
      scope: `${appId}:${userId}`,
      userId,
      send: async (channelId, body) => (await this.api.sendMessage(channelId, body)).message,
      canSend: () => this.connectionState !== 'offline' && this.connectionState !== 'closed',
      onChange: (pending) => store.setPending(pending),
      onSent: (message) => this.addMessage(message),
      ...(this.options.sendBackoff ? { backoff: this.options.sendBackoff } : {}),
    })
    const realtime = new RealtimeConnection({
      url: this.options.realtimeUrl ?? realtimeUrlOf(this.options.baseUrl),
      getToken: () => this.connectionToken(),
      WebSocket: this.options.WebSocket,
      ...(this.options.reconnect?.minDelayMs
        ? { minReconnectDelayMs: this.options.reconnect.minDelayMs }
        : {}),
      ...(this.options.reconnect?.maxDelayMs
        ? { maxReconnectDelayMs: this.options.reconnect.maxDelayMs }
        : {}),
      onEvent: (channel, event) => this.receive(channel, event),
      onSubscribed: (channel, info) => this.subscribed(channel, info),
      onState: (state) => {
        this.emitter.emit('connection', { state })
        if (state === 'connected') void queue.flush()
      },
      onError: (error, context) => this.emitter.emit('error', { error, context }),
    })
    // typing indicators lapse on their own when the stop event never comes
    const typingTimer = setInterval(() => store.expireTyping(), 1_000)
    ;(typingTimer as { unref?: () => void }).unref?.()
    this.session = { store, realtime, queue, appId, typingTimer }

    await this.loadChannels()
    await queue.restore()
    realtime.connect()
    void queue.flush()
    this.loaded = true
    this.emitter.emit('channels', {})
  }

  /** Closes the realtime connection and stops retries; the store keeps what it has. */
  disconnect(): void {
    const session = this.session
    if (!session) return
    session.realtime.disconnect()
    session.queue.close()
    clearInterval(session.typingTimer)
  }

  /** Reloads the channel list and unread counts, and watches every channel in it. */
  async loadChannels(): Promise<void> {
    const { store, realtime } = this.active()
    const { channels } = await this.api.listChannels({ limit: 200 }).catch((error: unknown) => {
      store.setChannelsError(messageOf(error))
      throw error
    })
    store.setChannels(channels)
    for (const channel of channels) {
      this.sequence(channel.id).advanceTo(channel.lastSeq)
      realtime.watch(channel.realtimeChannel)
    }
    // members (who a DM is with, roles, read markers) follow in the background
    for (const channel of channels) {
      this.loadChannel(channel.id).catch((error: unknown) =>
        this.emitter.emit('error', { error, context: `members of ${channel.id}` }),
      )
    }
  }

  /**
   * Loads one channel and its members (roles, read markers) into the store, and watches it; a
   * channel not in the list yet (a public one being viewed) is added to it.
   */
  async loadChannel(channelId: string): Promise<void> {
    const { store, realtime } = this.active()
    try {
      const { channel, members } = await this.api.getChannel(channelId)
      if (!store.getChannel(channelId)) {
        const role = members.find((m) => m.userId === store.userId)?.role ?? null
        store.upsertChannel({ ...channel, unreadCount: 0, role })
        this.sequence(channelId).advanceTo(channel.lastSeq)
      }
      store.setMembers(channelId, members)
      realtime.watch(channel.realtimeChannel)
      if (store.getPaging(channelId).channelError) store.setPaging(channelId, { channelError: null })
    } catch (error) {
      store.setPaging(channelId, { channelError: messageOf(error) })
      throw error
    }
  }

  /** Opens a channel's history once (`loadLatest`); later calls keep what is loaded. */
  async openChannel(channelId: string): Promise<void> {
    if (this.active().store.getPaging(channelId).status !== 'idle') return
    await this.loadLatest(channelId)
  }

  /**
   * Loads a channel's latest page. When more than a page is unread it loads the page around the
   * first unread message instead, so the reader starts there; `hasNewer` then says the rest is
   * on the server (`loadNewer`), and live messages wait there until the reader reaches the end.
   */
  async loadLatest(channelId: string): Promise<void> {
    const store = this.active().store
    store.setPaging(channelId, { status: 'loading', ...this.retrying(channelId, 'latest', 'missed') })
    try {
      // members give the reader's marker (where unread starts); without them a channel the list
      // knows still opens, at its latest page, and its paging keeps the members' failure
      if (store.getMembers(channelId).length === 0)
        await this.loadChannel(channelId).catch((error: unknown) => {
          if (!store.getChannel(channelId)) throw error
        })
      const channel = store.getChannel(channelId)
      const lastSeq = channel?.lastSeq ?? 0
      const lastRead = store.getReads(channelId)[store.userId] ?? lastSeq
      const size = this.pageSize()
      // the unread count leaves out one's own messages: both must say "more than a page"
      const unreadFar = (channel?.unreadCount ?? 0) > size && lastSeq - lastRead > size
      const { messages } = await this.api.listMessages(
        channelId,
        unreadFar ? { around: lastRead + 1, limit: size } : { limit: size },
      )
      const last = messages.at(-1)?.seq ?? 0
      const hasNewer = unreadFar && last < (store.getChannel(channelId)?.lastSeq ?? 0)
      // live messages that arrived while the page was on its way stay
      const live = hasNewer ? [] : store.getMessages(channelId).filter((m) => m.seq > last)
      store.replaceMessages(channelId, [...messages, ...live])
      const firstUnread = messages.find((m) => m.seq > lastRead && m.userId !== store.userId)
      store.setPaging(channelId, {
        status: 'ready',
        hasOlder: (messages[0]?.seq ?? 1) > 1,
        hasNewer,
        loadingNewer: false,
        firstUnreadId: firstUnread?.id ?? null,
      })
    } catch (error) {
      store.setPaging(channelId, { status: 'ready', error: messageOf(error), failed: 'latest' })
      throw error
    }
  }

  /** Loads the page before the oldest loaded message (the reader scrolled up). */
  async loadOlder(channelId: string): Promise<void> {
    const store = this.active().store
    const paging = store.getPaging(channelId)
    const first = store.getMessages(channelId)[0]
    if (paging.loadingOlder || !paging.hasOlder || !first) return
    store.setPaging(channelId, { loadingOlder: true, ...this.retrying(channelId, 'older') })
    try {
      const { messages } = await this.api.listMessages(channelId, {
        before: first.seq,
        limit: this.pageSize(),
      })
      store.addMessages(channelId, messages)
      store.setPaging(channelId, {
        loadingOlder: false,
        hasOlder: messages.length === this.pageSize() && (messages[0]?.seq ?? 1) > 1,
      })
    } catch (error) {
      store.setPaging(channelId, { loadingOlder: false, error: messageOf(error), failed: 'older' })
      throw error
    }
  }

  /** Loads the page after the newest loaded message, when the list is a window in the past. */
  async loadNewer(channelId: string): Promise<void> {
    const store = this.active().store
    const paging = store.getPaging(channelId)
    if (paging.loadingNewer || !paging.hasNewer) return
    store.setPaging(channelId, { loadingNewer: true, ...this.retrying(channelId, 'newer') })
    try {
      const after = store.getMessages(channelId).at(-1)?.seq ?? 0
      const { messages } = await this.api.listMessages(channelId, { after, limit: this.pageSize() })
      store.addMessages(channelId, messages)
      store.setPaging(channelId, { loadingNewer: false, hasNewer: messages.length === this.pageSize() })
    } catch (error) {
      store.setPaging(channelId, { loadingNewer: false, error: messageOf(error), failed: 'newer' })
      throw error
    }
  }

  /**
   * Loads a page of a channel's messages into the store: the latest page, or with `before` the
   * page older than that seq (scrolling up), or with `after` the newer one. Returns the page.
   */
  async loadMessages(channelId: string, page: { before?: number; after?: number } = {}): Promise<Message[]> {
    const { messages } = await this.api.listMessages(channelId, { limit: this.pageSize(), ...page })
    this.active().store.addMessages(channelId, messages)
    return messages
  }

  /** Loads a thread's replies (oldest first; `after` continues from a seq). */
  async loadThread(parentId: string, page: { after?: number } = {}): Promise<Message[]> {
    const { messages } = await this.api.listReplies(parentId, { limit: this.pageSize(), ...page })
    const parent = this.store.findMessage(parentId) ?? (await this.api.getMessage(parentId)).message
    this.active().store.addMessages(parent.channelId, [parent])
    this.active().store.addReplies(parent.channelId, parentId, messages)
    return messages
  }

  /**
   * Loads a thread (its parent and replies) once, with its status in `store.getThreadStatus`;
   * after a failure (`error` in that status) a new call tries again.
   */
  async openThread(parentId: string): Promise<void> {
    const store = this.active().store
    const status = store.getThreadStatus(parentId)
    // loaded, or loading: nothing to do; idle, or failed: (try to) load it
    if (status.status === 'loading' || (status.status === 'ready' && !status.error)) return
    const channelId = store.findMessage(parentId)?.channelId ?? ''
    store.setThreadStatus(channelId, parentId, { status: 'loading', error: null })
    try {
      await this.loadThread(parentId)
      store.setThreadStatus(channelId, parentId, { status: 'ready', error: null })
    } catch (error) {
      store.setThreadStatus(channelId, parentId, { status: 'ready', error: messageOf(error) })
      throw error
    }
  }

  /**
   * Sends a message through the offline queue: it shows at once in `store.getPending`, leaves
   * when the connection allows, and keeps its `clientMessageId` for every attempt. Resolves with
   * the stored message; rejects when the server refuses it (it then stays as `failed`).
   */
  sendMessage(channelId: string, input: SendMessageInput): Promise<Message> {
    return this.active().queue.enqueue(channelId, input)
  }
  /** Sends a failed message again (same clientMessageId, so never twice). */
  retrySend(clientMessageId: string): void {
    this.active().queue.retry(clientMessageId)
  }
  /** Drops a pending or failed message. */
  discardSend(clientMessageId: string): Promise<void> {
    return this.active().queue.discard(clientMessageId)
  }

  /** Marks the channel read up to `seq` (default: everything) and clears its unread count. */
  async markRead(channelId: string, seq?: number): Promise<void> {
    const store = this.active().store
    // reading everything clears the badge at once; the server's answer confirms the marker
    if (seq === undefined) store.setUnread([{ channelId, unreadCount: 0 }])
    const result = await this.api.markRead(channelId, seq)
    store.setReads(channelId, { [store.userId]: result.lastReadSeq })
    const channel = store.getChannel(channelId)
    if (channel && result.lastReadSeq >= channel.lastSeq) store.setUnread([{ channelId, unreadCount: 0 }])
  }

  /** Reacts (idempotent) and updates the store from the answer, before the event arrives. */
  async addReaction(messageId: string, type: string): Promise<void> {
    const { reactionCounts } = await this.api.addReaction(messageId, type)
    this.active().store.setOwnReaction(messageId, type, true, reactionCounts)
  }
  async removeReaction(messageId: string, type: string): Promise<void> {
    const { reactionCounts } = await this.api.removeReaction(messageId, type)
    this.active().store.setOwnReaction(messageId, type, false, reactionCounts)
  }

  // ---- polls: kept live in the store by `poll.updated` events

  async loadPoll(pollId: string): Promise<Poll> {
    return this.storePoll(await this.api.getPoll(pollId))
  }
  /** Votes for an option; in a single-choice poll it replaces the earlier choice. */
  async vote(pollId: string, optionId: string): Promise<Poll> {
    const held = this.active().store.getPoll(pollId)
    const optionIds = held?.multiple ? [...new Set([...held.ownVotes, optionId])] : [optionId]
    return this.storePoll(await this.api.vote(pollId, { optionIds }))
  }
  async unvote(pollId: string, optionId: string): Promise<Poll> {
    return this.storePoll(await this.api.unvote(pollId, { optionId }))
  }
  /** Ends the poll (its creator, or a moderator). */
  async closePoll(pollId: string): Promise<Poll> {
    return this.storePoll(await this.api.closePoll(pollId))
  }
  /**
   * Posts a poll: a message carrying the question, the poll attached to it, and the poll's id
   * recorded on the message (`custom.pollId`), so every reader, now or after a reload, can show it.
   */
  async createPoll(
    channelId: string,
    input: { question: string; options: string[]; multiple?: boolean },
  ): Promise<Poll> {
    const { message } = await this.api.sendMessage(channelId, {
      text: `📊 ${input.question}`,
      clientMessageId: crypto.randomUUID(),
    })
    const poll = this.storePoll(
      await this.api.createPoll(message.id, {
        question: input.question,
        options: input.options,
        multiple: input.multiple ?? false,
      }),
    )
    await this.api.editMessage(message.id, { custom: { pollId: poll.id } })
    return poll
  }
  private storePoll({ poll }: { poll: Poll }): Poll {
    this.active().store.setPoll(poll)
    return poll
  }

  /**
   * Fetches a user's profile into the store (`store.getUser`) once: repeated and concurrent asks
   * share the call. A user who does not exist (or was erased) is not asked for again; any other
   * failure may be retried by asking again.
   */
  loadUser(userId: string): Promise<void> {
    const store = this.active().store
    const running = this.userRequests.get(userId)
    if (running) return running
    const request = this.api.getUser(userId).then(
      ({ user }) => store.setUser(user),
      (error: unknown) => {
        if (!(error instanceof ChatError && error.status === 404)) this.userRequests.delete(userId)
        throw error
      },
    )
    this.userRequests.set(userId, request)
    return request
  }

  /** Announces typing; call it on every keystroke, it goes out at most every 2 s per channel. */
  async typing(channelId: string, parentId?: string): Promise<void> {
    const key = `${channelId}\u0000${parentId ?? ''}`
    const now = Date.now()
    if (now - (this.lastTyping.get(key) ?? 0) < TYPING_THROTTLE_MS) return
    this.lastTyping.set(key, now)
    await this.api.typing(channelId, { state: 'start', ...(parentId ? { parentId } : {}) })
  }
  async stopTyping(channelId: string, parentId?: string): Promise<void> {
    this.lastTyping.delete(`${channelId}\u0000${parentId ?? ''}`)
    await this.api.typing(channelId, { state: 'stop', ...(parentId ? { parentId } : {}) })
  }

  setPresence(status: PresenceStatus): Promise<unknown> {
    return this.api.setPresence(status)
  }

  // ---- realtime

  private receive(channel: string, event: ChatEvent): void {
    if (this.seen(event.id)) return
    const store = this.active().store
    const channelId = channelIdOf(channel)
    if (channelId && typeof event.seq === 'number') {
      const observed = this.sequence(channelId).observe(event.seq)
      if (observed.kind === 'gap') void this.fill(channelId, observed.after)
    }
    store.apply(event)
    this.emitter.emit('event', event)
    if (event.type === 'member.added' || event.type === 'member.removed') {
      const { userId } = (event as ChatEvent<'member.added'>).payload
      if (userId === store.userId) void this.refreshChannels()
    }
  }

  /** A subscription is live again; when it could not recover, reload what it missed from the API. */
  private subscribed(channel: string, info: { wasRecovering: boolean; recovered: boolean }): void {
    const channelId = channelIdOf(channel)
    if (channelId) void this.loadPresence(channel)
    if (!info.wasRecovering) {
      // a fresh subscription starts at the live end: what was published between loading the
      // channel and subscribing reached no one. A channel on screen asks the API for it.
      if (channelId && this.active().store.getMessages(channelId).length > 0)
        void this.fill(channelId, this.sequence(channelId).position)
      return
    }
    if (info.recovered) return
    if (channelId) {
      void this.fill(channelId, this.sequence(channelId).position).then(() =>
        this.emitter.emit('reloaded', { channelId }),
      )
    } else {
      // the user channel lost events: unread counts, membership, read markers come from the API
      void this.refreshChannels()
    }
  }

  /**
   * Loads the messages after `after` from the API (the source of truth), page by page, and the
   * unread counts. More than a few pages missing: the latest page replaces the list.
   */
  private fill(channelId: string, after: number | undefined): Promise<void> {
    const running = this.reloading.get(channelId)
    if (running) return running.then(() => this.fill(channelId, this.sequence(channelId).position))
    const work = (async () => {
      const store = this.active().store
      try {
        let cursor = after
        for (let page = 0; page < MAX_FILL_PAGES; page++) {
          if (cursor === undefined) break
          const { messages } = await this.api.listMessages(channelId, { after: cursor, limit: 200 })
          store.addLatest(channelId, messages)
          const last = messages.at(-1)
          if (!last || messages.length < 200) {
            cursor = undefined
            break
          }
          cursor = last.seq
          this.sequence(channelId).advanceTo(last.seq)
        }
        if (cursor !== undefined || after === undefined) {
          const { messages } = await this.api.listMessages(channelId, { limit: this.pageSize() })
          store.replaceMessages(channelId, messages)
          store.setPaging(channelId, { hasOlder: (messages[0]?.seq ?? 1) > 1, hasNewer: false })
        }
        // open threads may have missed replies too
        for (const parent of store.getMessages(channelId)) {
          if (store.getThread(parent.id).length > 0) await this.loadThread(parent.id)
        }
        const { channels } = await this.api.unread()
        store.setUnread(channels)
        this.cleared(channelId, 'missed')
      } catch (error) {
        // the list may lack what was sent meanwhile: the UI can say so and reload the channel
        store.setPaging(channelId, { error: messageOf(error), failed: 'missed' })
        this.emitter.emit('error', { error, context: `reload ${channelId}` })
      }
    })().finally(() => this.reloading.delete(channelId))
    this.reloading.set(channelId, work)
    return work
  }

  /** Who is in a channel now; presence events keep it current from here. */
  private async loadPresence(channel: string): Promise<void> {
    const { realtime, store } = this.active()
    try {
      store.setOnline(await realtime.presentUsers(channel))
    } catch {
      // a server with presence turned off refuses the command: nobody is shown online then
    }
  }

  private async refreshChannels(): Promise<void> {
    try {
      await this.loadChannels()
    } catch (error) {
      this.emitter.emit('error', { error, context: 'reload channels' })
    }
  }

  /** The paging change that clears the channel's last failure when it was of these kinds. */
  private retrying(channelId: string, ...kinds: LoadKind[]): { error?: null; failed?: null } {
    const failed = this.active().store.getPaging(channelId).failed
    return failed && kinds.includes(failed) ? { error: null, failed: null } : {}
  }

  /** A load of this kind succeeded: its earlier failure no longer holds. */
  private cleared(channelId: string, kind: LoadKind): void {
    const change = this.retrying(channelId, kind)
    if (change.failed === null) this.active().store.setPaging(channelId, change)
  }

  private addMessage(message: Message): void {
    const store = this.active().store
    if (message.parentId) store.addReplies(message.channelId, message.parentId, [message])
    else store.addLatest(message.channelId, [message])
  }

  private async connectionToken(): Promise<string> {
    const handed = this.tokens.takeConnectionToken()
    if (handed) return handed
    return (await this.api.connectionToken()).connectionToken
  }

  /** Remembers event ids (the most recent 5,000) so a re-sent or recovered event applies once. */
  private seen(id: string): boolean {
    if (this.seenEvents.has(id)) return true
    this.seenEvents.add(id)
    this.seenOrder.push(id)
    if (this.seenOrder.length > 5_000) this.seenEvents.delete(this.seenOrder.shift()!)
    return false
  }

  private sequence(channelId: string): SequenceTracker {
    const tracker = this.sequences.get(channelId) ?? new SequenceTracker()
    this.sequences.set(channelId, tracker)
    return tracker
  }

  private pageSize(): number {
    return this.options.pageSize ?? 50
  }

  private active() {
    if (!this.session) {
      throw new ChatError({ status: 0, code: 'not_connected', message: 'call connect() first' })
    }
    return this.session
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error)
}

/** `chat:{app}:{channel}` -> channel id; undefined for the user channel. */
function channelIdOf(realtimeChannel: string): string | undefined {
  if (!realtimeChannel.startsWith('chat:')) return undefined
  return realtimeChannel.split(':').slice(2).join(':')
}

function realtimeUrlOf(baseUrl: string): string {
  const url = new URL('/connection/websocket', baseUrl)
  url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:'
  return url.toString()
}

function claimsOf(jwt: string): { sub: string; app: string } {
  const claims = jwtClaims(jwt)
  if (typeof claims?.sub === 'string' && typeof claims.app === 'string')
    return { sub: claims.sub, app: claims.app }
  throw new ChatError({ status: 0, code: 'invalid_token', message: 'the access token has no sub/app claims' })
}
