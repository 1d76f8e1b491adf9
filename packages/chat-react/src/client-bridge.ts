/**
 * Every place @chatsdk/react reads the client's store or calls the client, in one file: the hooks
 * use these functions and nothing else of @chatsdk/client. Reads are memoized per store revision,
 * so they return identical (===) values while nothing changes, as useSyncExternalStore requires,
 * and derived arrays are not rebuilt for every component that asks.
 */
import {
  type ChatClient,
  isChatError,
  type LoadKind,
  type Message,
  type PendingMessage,
  type Poll,
} from '@chatsdk/client'
import type { ChannelSummary } from './hooks/use-channels.js'
import type { Presence } from './hooks/use-presence.js'
import { pendingView, toMessageView } from './message-view.js'
import type { MessageView } from './types.js'

type Client = ChatClient

/** Memoizes a derivation of the store per (client, key), recomputed only after a change. */
function derived<T>(compute: (client: Client, key: string) => T) {
  const caches = new WeakMap<Client, Map<string, { revision: number; value: T }>>()
  return (client: Client, key = ''): T => {
    let cache = caches.get(client)
    if (!cache) {
      cache = new Map()
      caches.set(client, cache)
    }
    const revision = client.revision
    const hit = cache.get(key)
    if (hit && hit.revision === revision) return hit.value
    const value = compute(client, key)
    cache.set(key, { revision, value })
    return value
  }
}

/**
 * Memoizes a derivation on the store snapshots it reads (`inputs`, compared by identity): long
 * lists are rebuilt only when their own snapshots change, not on every typing or presence event.
 */
function derivedFrom<T>(
  inputs: (client: Client, key: string) => unknown[],
  compute: (client: Client, key: string) => T,
) {
  const caches = new WeakMap<Client, Map<string, { inputs: unknown[]; value: T }>>()
  return (client: Client, key: string): T => {
    let cache = caches.get(client)
    if (!cache) {
      cache = new Map()
      caches.set(client, cache)
    }
    const now = inputs(client, key)
    const hit = cache.get(key)
    if (hit?.inputs.every((input, index) => input === now[index])) return hit.value
    const value = compute(client, key)
    cache.set(key, { inputs: now, value })
    return value
  }
}

export function subscribe(client: Client, listener: () => void): () => void {
  return client.subscribe(listener)
}

/** Calls made from event handlers and effects: a failure is already in the store (or shown by the caller). */
function quietly(work: Promise<unknown>): void {
  work.catch(() => {})
}

// ---- channels -------------------------------------------------------------------------------

const channelListOf = derived((client) =>
  client.store.getChannels().map((channel) => ({
    id: channel.id,
    type: channel.type,
    name: channel.name,
    memberIds: memberIdsOf(client, channel.id),
    lastMessageAt: channel.lastMessageAt,
  })),
)

/** The same ChannelSummary while its fields stay equal, so list rows keep their identity. */
const summaries = new WeakMap<Client, Map<string, ChannelSummary>>()
export function channelList(client: Client): ChannelSummary[] {
  let held = summaries.get(client)
  if (!held) {
    held = new Map()
    summaries.set(client, held)
  }
  const known = held
  return channelListOf(client).map((next) => {
    const previous = known.get(next.id)
    if (previous && sameSummary(previous, next)) return previous
    known.set(next.id, next)
    return next
  })
}

function sameSummary(a: ChannelSummary, b: ChannelSummary): boolean {
  return (
    a.name === b.name &&
    a.type === b.type &&
    a.lastMessageAt === b.lastMessageAt &&
    a.memberIds.join() === b.memberIds.join()
  )
}

function memberIdsOf(client: Client, channelId: string): string[] {
  return client.store.getMembers(channelId).map((member) => member.userId)
}

export const loadChannels = (client: Client) => client.loadChannels()
/** Why the last background refresh of the channel list failed. */
export const channelsError = (client: Client) => client.store.getChannelsError()
export const dismissChannelsError = (client: Client) => client.store.setChannelsError(null)

export function loadChannel(client: Client, channelId: string): void {
  if (client.store.getMembers(channelId).length === 0) quietly(client.loadChannel(channelId))
}

const channelStateOf = derived((client, channelId) => {
  const channel = client.store.getChannel(channelId)
  const paging = client.store.getPaging(channelId)
  const members = client.store.getMembers(channelId)
  const role = members.find((member) => member.userId === client.userId)?.role ?? channel?.role ?? null
  return {
    channel: channel
      ? {
          id: channel.id,
          type: channel.type,
          name: channel.name,
          memberIds: memberIdsOf(client, channelId),
          lastMessageAt: channel.lastMessageAt,
        }
      : null,
    members,
    loading: !channel,
    // the channel itself (or its members) could not be loaded; history failures are the list's
    error: paging.channelError ?? (channel ? null : paging.error),
    canModerate: role === 'moderator' || role === 'owner',
  }
})

export const channelState = (client: Client, channelId: string) => channelStateOf(client, channelId)

export function unreadCount(client: Client, channelId?: string): number {
  return channelId ? client.store.getUnreadCount(channelId) : client.store.getTotalUnreadCount()
}

export function markRead(client: Client, channelId: string): void {
  if (client.store.getUnreadCount(channelId) > 0) quietly(client.markRead(channelId))
}

// ---- messages -------------------------------------------------------------------------------

/** One MessageView per store message (or queued send) object, so unchanged ones keep their identity. */
const views = new WeakMap<object, MessageView>()
function view(message: Message): MessageView {
  let cached = views.get(message)
  if (!cached) {
    cached = toMessageView(message)
    views.set(message, cached)
  }
  return cached
}
function viewPending(pending: PendingMessage): MessageView {
  let cached = views.get(pending)
  if (!cached) {
    cached = pendingView(pending)
    views.set(pending, cached)
  }
  return cached
}

const messageWindowOf = derivedFrom(
  (client, channelId) => [
    client.store.getMessages(channelId),
    client.store.getPending(channelId),
    client.store.getPaging(channelId),
  ],
  (client, channelId) => {
    const paging = client.store.getPaging(channelId)
    return {
      // sends the server has not confirmed show after what it has, oldest first
      messages: [
        ...client.store.getMessages(channelId).map(view),
        ...client.store.getPending(channelId).map(viewPending),
      ],
      firstUnreadId: paging.firstUnreadId,
      hasOlder: paging.hasOlder,
      hasNewer: paging.hasNewer,
      loading: paging.status !== 'ready',
      loadingOlder: paging.loadingOlder,
      loadingNewer: paging.loadingNewer,
      error: paging.error,
      failed: paging.failed,
    }
  },
)

export const messageWindow = (client: Client, channelId: string) => messageWindowOf(client, channelId)

export function watchChannel(client: Client, channelId: string): void {
  quietly(client.openChannel(channelId))
}
export const loadOlder = (client: Client, channelId: string) => quietly(client.loadOlder(channelId))
export const loadNewer = (client: Client, channelId: string) => quietly(client.loadNewer(channelId))
export const jumpToLatest = (client: Client, channelId: string) => quietly(client.loadLatest(channelId))
export const reloadChannel = (client: Client, channelId: string) => quietly(client.loadLatest(channelId))

/** Tries again the load that failed last in this channel (`failed` of its paging). */
export function retryLoad(client: Client, channelId: string, failed: LoadKind | null): void {
  if (failed === 'older') loadOlder(client, channelId)
  else if (failed === 'newer') loadNewer(client, channelId)
  else reloadChannel(client, channelId)
}
/** Hides the channel's last history load failure (the next attempt may show it again). */
export const dismissLoadError = (client: Client, channelId: string) =>
  client.store.setPaging(channelId, { error: null, failed: null })
export const retryChannel = (client: Client, channelId: string) => quietly(client.loadChannel(channelId))
export const dismissChannelError = (client: Client, channelId: string) =>
  client.store.setPaging(channelId, { channelError: null })

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
): Promise<void> {
  return client.sendMessage(channelId, input).then(
    () => {},
    (error: unknown) => {
      // discarding is the person's own choice, not a failure to show them
      if (!(isChatError(error) && error.code === 'discarded')) throw error
    },
  )
}

export const editMessage = (client: Client, messageId: string, text: string) =>
  client.api.editMessage(messageId, { text })
export const retrySend = (client: Client, message: MessageView) => client.retrySend(message.clientMessageId!)
export const discardSend = (client: Client, message: MessageView) =>
  client.discardSend(message.clientMessageId!)

export const addReaction = (client: Client, message: MessageView, type: string) =>
  client.addReaction(message.id, type)
export const removeReaction = (client: Client, message: MessageView, type: string) =>
  client.removeReaction(message.id, type)

// ---- threads --------------------------------------------------------------------------------

const threadOf = derivedFrom(
  (client, parentId) => {
    const parent = client.store.findMessage(parentId)
    return [
      parent,
      client.store.getThread(parentId),
      parent ? client.store.getPending(parent.channelId, parentId) : null,
      client.store.getThreadStatus(parentId),
    ]
  },
  (client, parentId) => {
    const parent = client.store.findMessage(parentId)
    const status = client.store.getThreadStatus(parentId)
    return {
      parent: parent ? view(parent) : null,
      replies: [
        ...client.store.getThread(parentId).map(view),
        ...(parent ? client.store.getPending(parent.channelId, parentId).map(viewPending) : []),
      ],
      loading: status.status !== 'ready',
      error: status.error,
    }
  },
)

export const thread = (client: Client, parentId: string) => threadOf(client, parentId)
export const watchThread = (client: Client, parentId: string) => quietly(client.openThread(parentId))

// ---- typing, presence, reads, people --------------------------------------------------------

/** Who else is typing in the channel itself, or (with parentId) in that thread. */
export function typingUsers(client: Client, channelId: string, parentId?: string): string[] {
  return client.store
    .getTyping(channelId)
    .filter((typist) => typist.parentId === (parentId ?? null))
    .map((typist) => typist.userId)
}

export function typing(
  client: Client,
  channelId: string,
  parentId: string | undefined,
  active: boolean,
): void {
  // typing is ephemeral: offline there is no one to tell, and nothing to retry later
  if (client.connectionState !== 'connected') return
  quietly(active ? client.typing(channelId, parentId) : client.stopTyping(channelId, parentId))
}

export function presenceOf(client: Client, userId: string): Presence {
  return client.store.getPresence(userId)?.status ?? 'offline'
}

const readersOfSeq = derived((client, key) => {
  const [channelId, seq] = key.split('\n') as [string, string]
  return Object.entries(client.store.getReads(channelId))
    .filter(([userId, lastReadSeq]) => userId !== client.userId && lastReadSeq >= Number(seq))
    .map(([userId]) => userId)
})

export const readersOf = (client: Client, channelId: string, seq: number) =>
  readersOfSeq(client, `${channelId}\n${seq}`)

/** A user's name once the client has their profile; asks for it (once) and gives the id meanwhile. */
export function displayName(client: Client, userId: string): string {
  const user = client.store.getUser(userId)
  if (user) return user.name || userId
  // outside render: fetching is a side effect
  queueMicrotask(() => quietly(client.loadUser(userId)))
  return userId
}

// ---- connection -----------------------------------------------------------------------------

/** The client's finer states, as the UI shows them: live, trying, or without network. */
export function connectionState(client: Client): 'connecting' | 'connected' | 'offline' {
  switch (client.connectionState) {
    case 'connected':
      return 'connected'
    case 'offline':
    case 'closed':
      return 'offline'
    default:
      return 'connecting'
  }
}

export function pendingCount(client: Client): number {
  return client.store.getAllPending().filter((pending) => pending.status === 'pending').length
}

// ---- polls ----------------------------------------------------------------------------------

export function pollOf(client: Client, pollId: string): Poll | null {
  return client.store.getPoll(pollId) ?? null
}
export const loadPoll = (client: Client, pollId: string) => client.loadPoll(pollId)
export const vote = (client: Client, pollId: string, optionId: string) => client.vote(pollId, optionId)
export const retractVote = (client: Client, pollId: string, optionId: string) =>
  client.unvote(pollId, optionId)
export const closePoll = (client: Client, pollId: string) => client.closePoll(pollId)
export const createPoll = (
  client: Client,
  channelId: string,
  input: { question: string; options: string[]; multiple?: boolean },
) => client.createPoll(channelId, input).then(() => {})
