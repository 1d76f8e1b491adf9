/**
 * Every place @chatsdk/react reads the client's store or calls the client, in one file: the hooks
 * use these functions and nothing else of the client. Reads are memoized per store snapshot, so
 * they return identical (===) values while the store does not change, as useSyncExternalStore
 * requires, and derived arrays are not rebuilt for every component that asks.
 */
import type { ChannelSummary } from './hooks/use-channels.js'
import type { Presence } from './hooks/use-presence.js'
import { toMessageView } from './message-view.js'
import type { ChatSession } from './session/session.js'
import type { MessageView } from './types.js'

type Client = ChatSession
type State = ReturnType<Client['store']['getState']>

/** Memoizes a derivation of the store per (client, key), recomputed only when the state object changes. */
function derived<T>(compute: (client: Client, state: State, key: string) => T) {
  const caches = new WeakMap<Client, Map<string, { state: State; value: T }>>()
  return (client: Client, key = ''): T => {
    let cache = caches.get(client)
    if (!cache) {
      cache = new Map()
      caches.set(client, cache)
    }
    const state = client.store.getState()
    const hit = cache.get(key)
    if (hit && hit.state === state) return hit.value
    const value = compute(client, state, key)
    cache.set(key, { state, value })
    return value
  }
}

export function subscribe(client: Client, listener: () => void): () => void {
  return client.store.subscribe(listener)
}

// ---- channels -------------------------------------------------------------------------------

const channelListOf = derived((_client, state) => ({
  channels: state.channelOrder.map((id) => summary(state.channels[id]!)),
  loading: state.channelsStatus === 'loading',
  error: state.channelsError,
}))

export const channelList = (client: Client) => channelListOf(client)

function summary(entry: State['channels'][string]): ChannelSummary {
  return {
    id: entry.channel.id,
    type: entry.channel.type,
    name: entry.channel.name,
    memberIds: entry.members.map((member) => member.userId),
    lastMessageAt: entry.channel.lastMessageAt,
  }
}

export function loadChannels(client: Client): Promise<void> {
  return client.queryChannels()
}

export function loadChannel(client: Client, channelId: string): Promise<void> {
  return client.loadChannel(channelId)
}

const channelStateOf = derived((client, state, channelId) => {
  const entry = state.channels[channelId]
  const me = entry?.members.find((member) => member.userId === client.userId)
  return {
    channel: entry ? summary(entry) : null,
    members: entry?.members ?? [],
    loading: !entry,
    error: state.channelErrors[channelId] ?? null,
    canModerate: me?.role === 'moderator' || me?.role === 'owner',
  }
})

export const channelState = (client: Client, channelId: string) => channelStateOf(client, channelId)

export function unreadCount(client: Client, channelId?: string): number {
  const state = client.store.getState()
  if (channelId) return state.channels[channelId]?.unreadCount ?? 0
  return Object.values(state.channels).reduce((sum, entry) => sum + entry.unreadCount, 0)
}

export function markRead(client: Client, channelId: string): void {
  void client.markRead(channelId)
}

// ---- messages -------------------------------------------------------------------------------

const messageWindowOf = derived((_client, state, channelId) => {
  const entry = state.channels[channelId]
  const messages = entry?.messages.map((message) => view(message)) ?? []
  return {
    messages,
    firstUnreadId: entry?.firstUnreadId ?? null,
    hasOlder: entry?.hasOlder ?? false,
    hasNewer: entry?.hasNewer ?? false,
    loading: entry?.status !== 'ready',
    loadingOlder: entry?.loadingOlder ?? false,
    loadingNewer: entry?.loadingNewer ?? false,
    error: entry?.error ?? null,
  }
})

export const messageWindow = (client: Client, channelId: string) => messageWindowOf(client, channelId)

/** One MessageView per store message object, so unchanged messages keep their identity. */
const views = new WeakMap<object, MessageView>()
function view(message: State['channels'][string]['messages'][number]): MessageView {
  let cached = views.get(message)
  if (!cached) {
    cached = toMessageView(message, message.failed ? 'failed' : message.pending ? 'pending' : 'sent')
    views.set(message, cached)
  }
  return cached
}

export function watchChannel(client: Client, channelId: string): () => void {
  return client.watchChannel(channelId)
}
export const loadOlder = (client: Client, channelId: string) => client.loadOlder(channelId)
export const loadNewer = (client: Client, channelId: string) => client.loadNewer(channelId)
export const jumpToLatest = (client: Client, channelId: string) => client.loadLatest(channelId)
export const reloadChannel = (client: Client, channelId: string) => client.loadLatest(channelId)

export function sendMessage(
  client: Client,
  channelId: string,
  input: {
    text: string
    mentions?: string[]
    attachments?: { uploadId: string }[]
    parentId?: string
    custom?: Record<string, unknown>
  },
) {
  return client.sendMessage(channelId, input)
}

export const editMessage = (client: Client, messageId: string, text: string) =>
  client.api.editMessage(messageId, { text })
export const retrySend = (client: Client, message: MessageView) => client.retry(message.clientMessageId!)
export const discardSend = (client: Client, message: MessageView) => client.discard(message.clientMessageId!)

export const addReaction = (client: Client, message: MessageView, type: string) =>
  client.react(message.id, type)
export const removeReaction = (client: Client, message: MessageView, type: string) =>
  client.unreact(message.id, type)

// ---- threads --------------------------------------------------------------------------------

const threadOf = derived((_client, state, parentId) => {
  const entry = state.threads[parentId]
  return {
    parent: entry?.parent ? view(entry.parent) : null,
    replies: entry?.replies.map((reply) => view(reply)) ?? [],
    loading: !entry || entry.status === 'loading',
    error: entry?.error ?? null,
  }
})

export const thread = (client: Client, parentId: string) => threadOf(client, parentId)
export const watchThread = (client: Client, parentId: string): (() => void) => client.watchThread(parentId)

// ---- typing, presence, reads ----------------------------------------------------------------

const NONE: string[] = []

export function typingUsers(client: Client, channelId: string, parentId?: string): string[] {
  return client.store.getState().typing[parentId ? `${channelId}:${parentId}` : channelId] ?? NONE
}

export function typing(
  client: Client,
  channelId: string,
  parentId: string | undefined,
  active: boolean,
): void {
  void client.typing(channelId, active, parentId)
}

export function presenceOf(client: Client, userId: string): Presence {
  return client.store.getState().presence[userId] ?? 'offline'
}

const readersOfSeq = derived((client, state, key) => {
  const [channelId, seq] = key.split('\n') as [string, string]
  const reads = state.channels[channelId]?.reads ?? {}
  return Object.entries(reads)
    .filter(([userId, lastReadSeq]) => userId !== client.userId && lastReadSeq >= Number(seq))
    .map(([userId]) => userId)
})

export const readersOf = (client: Client, channelId: string, seq: number) =>
  readersOfSeq(client, `${channelId}\n${seq}`)

// ---- connection -----------------------------------------------------------------------------

export function connectionState(client: Client): 'connecting' | 'connected' | 'offline' {
  return client.store.getState().connection
}

export function pendingCount(client: Client): number {
  return client.store.getState().pendingCount
}

// ---- polls ----------------------------------------------------------------------------------

export function pollOf(client: Client, pollId: string) {
  return client.store.getState().polls[pollId] ?? null
}
export const loadPoll = (client: Client, pollId: string) => client.loadPoll(pollId)
export const vote = (client: Client, pollId: string, optionId: string) => client.vote(pollId, optionId)
export const retractVote = (client: Client, pollId: string, optionId: string) =>
  client.unvote(pollId, optionId)
export const closePoll = (client: Client, pollId: string) => client.closePoll(pollId)

export async function createPoll(
  client: Client,
  channelId: string,
  input: { question: string; options: string[]; multiple?: boolean },
): Promise<void> {
  const { message } = await client.api.sendMessage(channelId, {
    text: `📊 ${input.question}`,
    clientMessageId: crypto.randomUUID(),
  })
  const { poll } = await client.api.createPoll(message.id, {
    question: input.question,
    options: input.options,
    multiple: input.multiple ?? false,
  })
  await client.api.editMessage(message.id, { custom: { pollId: poll.id } })
}
