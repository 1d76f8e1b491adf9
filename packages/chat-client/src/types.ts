/**
 * The domain types the client hands out, taken from the generated OpenAPI types so they follow
 * the server (src/generated/api.ts).
 */
import type { Operations } from './generated/api.js'

type Response<K extends keyof Operations> = Operations[K]['response']

export type Message = Response<'GET /v1/messages/{messageId}'>['message']
export type Attachment = Message['attachments'][number]
export type Channel = Response<'GET /v1/channels/{channelId}'>['channel']
export type ChannelListItem = Response<'GET /v1/channels'>['channels'][number]
export type Member = Response<'GET /v1/channels/{channelId}'>['members'][number]
export type User = Response<'GET /v1/me'>['user']
/** Another user's public profile. */
export type UserProfile = Response<'GET /v1/users/{userId}'>['user']
export type Poll = Response<'GET /v1/polls/{pollId}'>['poll']
export type Upload = Response<'POST /v1/channels/{channelId}/uploads'>['upload']
export type UnreadCounts = Response<'GET /v1/me/unread'>
export type SeenBy = Response<'GET /v1/messages/{messageId}/seen-by'>
export type SearchResults = Response<'GET /v1/search/messages'>

export type SendMessageInput = Operations['POST /v1/channels/{channelId}/messages']['body']
export type CreateChannelInput = Operations['POST /v1/channels']['body']
export type ChannelType = CreateChannelInput['type']
export type PresenceStatus = Operations['POST /v1/me/presence']['body']['status']

export type { Operations, Problem } from './generated/api.js'
