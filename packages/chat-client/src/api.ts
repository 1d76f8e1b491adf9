import type { TokenManager } from './auth/tokens.js'
import type { Operations } from './generated/api.js'
import type { CallOptions, OperationInput, OperationKey, Transport } from './http/transport.js'
import { type UploadOptions, uploadFile } from './http/upload.js'
import type { CreateChannelInput, PresenceStatus, SendMessageInput } from './types.js'

type Query<K extends OperationKey> = Operations[K]['query']
type Body<K extends OperationKey> = Operations[K]['body']

/**
 * Typed REST for every route a user token may call. `call` reaches all of them by their OpenAPI
 * key (`'GET /v1/channels/{channelId}'`); the named methods cover the everyday ones.
 */
export class ChatApi {
  constructor(
    private readonly transport: Transport,
    private readonly tokens: TokenManager,
  ) {}

  /** Any user operation by its OpenAPI key, fully typed: `api.call('GET /v1/me', {})`. */
  call<K extends OperationKey>(operation: K, input: OperationInput<K>): Promise<Operations[K]['response']> {
    return this.transport.call(operation, input)
  }

  // the calling user
  me = (o?: CallOptions) => this.call('GET /v1/me', { ...o })
  unread = (o?: CallOptions) => this.call('GET /v1/me/unread', { ...o })
  mentions = (query?: Query<'GET /v1/me/mentions'>, o?: CallOptions) =>
    this.call('GET /v1/me/mentions', { query, ...o })
  setPresence = (status: PresenceStatus, o?: CallOptions) =>
    this.call('POST /v1/me/presence', { body: { status }, idempotent: true, ...o })
  connectionToken = (o?: CallOptions) =>
    this.call('POST /v1/me/tokens/connection', { idempotent: true, ...o })
  logout = (o?: CallOptions) => this.call('POST /v1/me/logout', { ...o })
  getUser = (userId: string, o?: CallOptions) =>
    this.call('GET /v1/users/{userId}', { path: { userId }, ...o })
  blockUser = (userId: string, o?: CallOptions) =>
    this.call('PUT /v1/me/blocks/{userId}', { path: { userId }, ...o })
  unblockUser = (userId: string, o?: CallOptions) =>
    this.call('DELETE /v1/me/blocks/{userId}', { path: { userId }, ...o })

  // channels
  listChannels = (query?: Query<'GET /v1/channels'>, o?: CallOptions) =>
    this.call('GET /v1/channels', { query, ...o })
  getChannel = (channelId: string, o?: CallOptions) =>
    this.call('GET /v1/channels/{channelId}', { path: { channelId }, ...o })
  createChannel = (body: CreateChannelInput, o?: CallOptions) =>
    this.call('POST /v1/channels', { body, ...o })
  updateChannel = (channelId: string, body: Body<'PATCH /v1/channels/{channelId}'>, o?: CallOptions) =>
    this.call('PATCH /v1/channels/{channelId}', { path: { channelId }, body, ...o })
  joinChannel = (channelId: string, o?: CallOptions) =>
    this.call('POST /v1/channels/{channelId}/join', { path: { channelId }, idempotent: true, ...o })
  leaveChannel = (channelId: string, o?: CallOptions) =>
    this.call('POST /v1/channels/{channelId}/leave', { path: { channelId }, ...o })
  addMembers = (channelId: string, body: Body<'POST /v1/channels/{channelId}/members'>, o?: CallOptions) =>
    this.call('POST /v1/channels/{channelId}/members', { path: { channelId }, body, ...o })
  removeMember = (channelId: string, userId: string, o?: CallOptions) =>
    this.call('DELETE /v1/channels/{channelId}/members/{userId}', { path: { channelId, userId }, ...o })
  markRead = (channelId: string, seq?: number, o?: CallOptions) =>
    // the marker never moves back, so repeating it is harmless
    this.call('POST /v1/channels/{channelId}/read', {
      path: { channelId },
      body: seq === undefined ? {} : { seq },
      idempotent: true,
      ...o,
    })
  typing = (channelId: string, body: Body<'POST /v1/channels/{channelId}/typing'>, o?: CallOptions) =>
    this.call('POST /v1/channels/{channelId}/typing', { path: { channelId }, body, ...o })

  // messages
  listMessages = (
    channelId: string,
    query?: Query<'GET /v1/channels/{channelId}/messages'>,
    o?: CallOptions,
  ) => this.call('GET /v1/channels/{channelId}/messages', { path: { channelId }, query, ...o })
  listReplies = (messageId: string, query?: Query<'GET /v1/messages/{messageId}/replies'>, o?: CallOptions) =>
    this.call('GET /v1/messages/{messageId}/replies', { path: { messageId }, query, ...o })
  getMessage = (messageId: string, o?: CallOptions) =>
    this.call('GET /v1/messages/{messageId}', { path: { messageId }, ...o })
  /** Idempotent when `clientMessageId` is set: a repeat answers with the first message. */
  sendMessage = (channelId: string, body: SendMessageInput, o?: CallOptions) =>
    this.call('POST /v1/channels/{channelId}/messages', {
      path: { channelId },
      body,
      idempotent: body.clientMessageId !== undefined,
      ...o,
    })
  editMessage = (messageId: string, body: Body<'PATCH /v1/messages/{messageId}'>, o?: CallOptions) =>
    this.call('PATCH /v1/messages/{messageId}', { path: { messageId }, body, ...o })
  deleteMessage = (messageId: string, query?: Query<'DELETE /v1/messages/{messageId}'>, o?: CallOptions) =>
    this.call('DELETE /v1/messages/{messageId}', { path: { messageId }, query, ...o })
  pinMessage = (messageId: string, o?: CallOptions) =>
    this.call('POST /v1/messages/{messageId}/pin', { path: { messageId }, idempotent: true, ...o })
  unpinMessage = (messageId: string, o?: CallOptions) =>
    this.call('DELETE /v1/messages/{messageId}/pin', { path: { messageId }, ...o })
  /** Idempotent per user and type. */
  addReaction = (messageId: string, type: string, o?: CallOptions) =>
    this.call('POST /v1/messages/{messageId}/reactions', {
      path: { messageId },
      body: { type },
      idempotent: true,
      ...o,
    })
  removeReaction = (messageId: string, type: string, o?: CallOptions) =>
    this.call('DELETE /v1/messages/{messageId}/reactions/{type}', { path: { messageId, type }, ...o })
  seenBy = (messageId: string, o?: CallOptions) =>
    this.call('GET /v1/messages/{messageId}/seen-by', { path: { messageId }, ...o })
  flagMessage = (messageId: string, body: Body<'POST /v1/messages/{messageId}/flags'>, o?: CallOptions) =>
    this.call('POST /v1/messages/{messageId}/flags', { path: { messageId }, body, ...o })
  search = (query: Query<'GET /v1/search/messages'>, o?: CallOptions) =>
    this.call('GET /v1/search/messages', { query, ...o })

  // polls
  createPoll = (messageId: string, body: Body<'POST /v1/messages/{messageId}/poll'>, o?: CallOptions) =>
    this.call('POST /v1/messages/{messageId}/poll', { path: { messageId }, body, ...o })
  getPoll = (pollId: string, o?: CallOptions) =>
    this.call('GET /v1/polls/{pollId}', { path: { pollId }, ...o })
  vote = (pollId: string, body: Body<'POST /v1/polls/{pollId}/votes'>, o?: CallOptions) =>
    this.call('POST /v1/polls/{pollId}/votes', { path: { pollId }, body, ...o })
  unvote = (pollId: string, query?: Query<'DELETE /v1/polls/{pollId}/votes'>, o?: CallOptions) =>
    this.call('DELETE /v1/polls/{pollId}/votes', { path: { pollId }, query, ...o })
  closePoll = (pollId: string, o?: CallOptions) =>
    this.call('POST /v1/polls/{pollId}/close', { path: { pollId }, ...o })

  // uploads
  upload = (channelId: string, file: Blob, options?: UploadOptions) =>
    uploadFile(this.transport, this.tokens, channelId, file, options)
  uploadUrl = (uploadId: string, query?: Query<'GET /v1/uploads/{uploadId}/url'>, o?: CallOptions) =>
    this.call('GET /v1/uploads/{uploadId}/url', { path: { uploadId }, query, ...o })

  // moderation (channel moderators and app admins)
  ban = (body: Body<'POST /v1/moderation/bans'>, o?: CallOptions) =>
    this.call('POST /v1/moderation/bans', { body, ...o })
  unban = (query: Query<'DELETE /v1/moderation/bans'>, o?: CallOptions) =>
    this.call('DELETE /v1/moderation/bans', { query, ...o })
  listBans = (query?: Query<'GET /v1/moderation/bans'>, o?: CallOptions) =>
    this.call('GET /v1/moderation/bans', { query, ...o })
}
