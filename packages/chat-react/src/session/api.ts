import type { Http } from './http.js'
import type { Channel, Member, Message, Poll } from './wire.js'

type Page = { limit?: number; before?: number; after?: number; around?: number }
const enc = encodeURIComponent

/** The user routes of the ChatSDK API the React layer calls, named after @chatsdk/client's ChatApi. */
export class ChatApi {
  constructor(private readonly http: Http) {}

  connectionToken = () =>
    this.http.call<{ connectionToken: string }>('POST', '/me/tokens/connection', { body: {} })
  setPresence = (status: 'online' | 'away' | 'offline') =>
    this.http.call('POST', '/me/presence', { body: { status } })
  getUser = (userId: string) =>
    this.http.call<{ user: { id: string; name: string } }>('GET', `/users/${enc(userId)}`)

  listChannels = () =>
    this.http.call<{ channels: (Channel & { unreadCount: number; createdAt: string })[] }>(
      'GET',
      '/channels',
      {
        query: { limit: 200 },
      },
    )
  getChannel = (channelId: string) =>
    this.http.call<{ channel: Channel; members: Member[] }>('GET', `/channels/${enc(channelId)}`)
  markRead = (channelId: string) => this.http.call('POST', `/channels/${enc(channelId)}/read`, { body: {} })
  typing = (channelId: string, body: { state: 'start' | 'stop'; parentId?: string }) =>
    this.http.call('POST', `/channels/${enc(channelId)}/typing`, { body })

  listMessages = (channelId: string, query: Page) =>
    this.http.call<{ messages: Message[] }>('GET', `/channels/${enc(channelId)}/messages`, { query })
  listReplies = (messageId: string, query: Page) =>
    this.http.call<{ messages: Message[] }>('GET', `/messages/${enc(messageId)}/replies`, { query })
  getMessage = (messageId: string) =>
    this.http.call<{ message: Message }>('GET', `/messages/${enc(messageId)}`)
  sendMessage = (
    channelId: string,
    body: { text: string; clientMessageId: string; [key: string]: unknown },
  ) => this.http.call<{ message: Message }>('POST', `/channels/${enc(channelId)}/messages`, { body })
  editMessage = (messageId: string, body: { text?: string; custom?: Record<string, unknown> }) =>
    this.http.call<{ message: Message }>('PATCH', `/messages/${enc(messageId)}`, { body })
  deleteMessage = (messageId: string) => this.http.call('DELETE', `/messages/${enc(messageId)}`)
  addReaction = (messageId: string, type: string) =>
    this.http.call<{ reactionCounts: Record<string, number> }>(
      'POST',
      `/messages/${enc(messageId)}/reactions`,
      {
        body: { type },
      },
    )
  removeReaction = (messageId: string, type: string) =>
    this.http.call<{ reactionCounts: Record<string, number> }>(
      'DELETE',
      `/messages/${enc(messageId)}/reactions/${enc(type)}`,
    )
  search = (
    query: { q: string; channelId?: string; limit?: number; offset?: number },
    options: { signal?: AbortSignal } = {},
  ) =>
    this.http.call<{ results: { message: Message; score: number }[] }>('GET', '/search/messages', {
      query,
      ...options,
    })

  createPoll = (messageId: string, body: { question: string; options: string[]; multiple?: boolean }) =>
    this.http.call<{ poll: Poll }>('POST', `/messages/${enc(messageId)}/poll`, { body })
  getPoll = (pollId: string) => this.http.call<{ poll: Poll }>('GET', `/polls/${enc(pollId)}`)
  vote = (pollId: string, body: { optionIds: string[] }) =>
    this.http.call<{ poll: Poll }>('POST', `/polls/${enc(pollId)}/votes`, { body })
  unvote = (pollId: string, query: { optionId: string }) =>
    this.http.call<{ poll: Poll }>('DELETE', `/polls/${enc(pollId)}/votes`, { query })
  closePoll = (pollId: string) =>
    this.http.call<{ poll: Poll }>('POST', `/polls/${enc(pollId)}/close`, { body: {} })

  upload = (
    channelId: string,
    file: File,
    options: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal },
  ) => this.http.upload(channelId, file, options)
  uploadUrl = (uploadId: string, query: { variant: 'original' | 'thumbnail' }) =>
    this.http.call<{ url: string; expiresAt: string }>('GET', `/uploads/${enc(uploadId)}/url`, { query })

  ban = (body: { userId: string; channelId?: string; kind?: 'ban' | 'mute'; durationSeconds?: number }) =>
    this.http.call('POST', '/moderation/bans', { body })
}
