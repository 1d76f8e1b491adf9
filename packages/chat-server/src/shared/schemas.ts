import { type TSchema, Type } from '@sinclair/typebox'
import { EXTERNAL_ID_PATTERN } from './ids.js'

/** Shared request/response schemas: they validate input, type handlers and document the API. */

export const ExternalId = (description: string) =>
  Type.String({ pattern: EXTERNAL_ID_PATTERN, description, examples: ['alice'] })
export const UuidString = (description: string) =>
  Type.String({ format: 'uuid', description, examples: ['01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70'] })

export const UserIdParams = Type.Object({ userId: ExternalId('User id chosen by your backend') })
export const ChannelIdParams = Type.Object({ channelId: ExternalId('Channel id') })
export const MessageIdParams = Type.Object({ messageId: UuidString('Message id') })

export const Custom = Type.Record(Type.String(), Type.Unknown(), {
  description: 'Free-form JSON object stored with the entity',
  examples: [{ color: 'blue' }],
})

/** Responses keep unknown properties so the serializer never drops a field the code added. */
export const Obj = <T extends Record<string, TSchema>>(
  properties: T,
  options: Record<string, unknown> = {},
) => Type.Object(properties, { additionalProperties: true, ...options })

export const ProblemRef = Type.Ref('Problem')

/** The error responses every authenticated route may give, for OpenAPI. */
export const errorResponses = {
  400: ProblemRef,
  401: ProblemRef,
  403: ProblemRef,
  404: ProblemRef,
  409: ProblemRef,
}

export const UserSchema = Obj(
  {
    id: Type.String(),
    name: Type.String(),
    image: Type.Union([Type.String(), Type.Null()]),
    custom: Custom,
    role: Type.String(),
    lastActiveAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
  },
  {
    examples: [
      {
        id: 'alice',
        name: 'Alice',
        image: null,
        custom: {},
        role: 'user',
        lastActiveAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
      },
    ],
  },
)

const AttachmentKind = Type.Union([
  Type.Literal('image'),
  Type.Literal('video'),
  Type.Literal('audio'),
  Type.Literal('file'),
  Type.Literal('link'),
])

export const AttachmentSchema = Obj({
  type: AttachmentKind,
  uploadId: Type.Optional(UuidString('Upload id from the uploads API')),
  url: Type.Optional(Type.String({ maxLength: 2048 })),
  thumbUrl: Type.Optional(Type.String()),
  name: Type.Optional(Type.String({ maxLength: 255 })),
  mimeType: Type.Optional(Type.String({ maxLength: 127 })),
  size: Type.Optional(Type.Integer({ minimum: 0 })),
  width: Type.Optional(Type.Integer({ minimum: 0 })),
  height: Type.Optional(Type.Integer({ minimum: 0 })),
  custom: Type.Optional(Custom),
})

/** Attachment as a client sends it (closed: typos are refused, not ignored). */
export const AttachmentInput = Type.Object(
  {
    type: Type.Optional(AttachmentKind),
    uploadId: Type.Optional(UuidString('Upload id from the uploads API')),
    url: Type.Optional(Type.String({ maxLength: 2048 })),
    name: Type.Optional(Type.String({ maxLength: 255 })),
    custom: Type.Optional(Custom),
  },
  { additionalProperties: false },
)

export const MessageSchema = Obj(
  {
    id: Type.String(),
    channelId: Type.String(),
    seq: Type.Integer(),
    userId: Type.Union([Type.String(), Type.Null()]),
    text: Type.String(),
    type: Type.String(),
    parentId: Type.Union([Type.String(), Type.Null()]),
    quotedMessageId: Type.Union([Type.String(), Type.Null()]),
    mentions: Type.Array(Type.String()),
    attachments: Type.Array(AttachmentSchema),
    custom: Custom,
    clientMessageId: Type.Union([Type.String(), Type.Null()]),
    replyCount: Type.Integer(),
    threadParticipants: Type.Array(Type.String()),
    pinnedAt: Type.Union([Type.String(), Type.Null()]),
    pinnedBy: Type.Union([Type.String(), Type.Null()]),
    editedAt: Type.Union([Type.String(), Type.Null()]),
    deletedAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    reactionCounts: Type.Record(Type.String(), Type.Integer()),
    ownReactions: Type.Array(Type.String()),
  },
  {
    examples: [
      {
        id: '01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70',
        channelId: 'general',
        seq: 42,
        userId: 'alice',
        text: 'hello @bob',
        type: 'regular',
        parentId: null,
        quotedMessageId: null,
        mentions: ['bob'],
        attachments: [],
        custom: {},
        clientMessageId: 'c-123',
        replyCount: 0,
        threadParticipants: [],
        pinnedAt: null,
        pinnedBy: null,
        editedAt: null,
        deletedAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        updatedAt: '2026-01-01T00:00:00.000Z',
        reactionCounts: { like: 2 },
        ownReactions: ['like'],
      },
    ],
  },
)

export const ChannelSchema = Obj(
  {
    id: Type.String(),
    type: Type.String(),
    name: Type.Union([Type.String(), Type.Null()]),
    image: Type.Union([Type.String(), Type.Null()]),
    custom: Custom,
    createdBy: Type.Union([Type.String(), Type.Null()]),
    lastSeq: Type.Integer(),
    slowModeSeconds: Type.Integer(),
    archivedAt: Type.Union([Type.String(), Type.Null()]),
    lastMessageAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    updatedAt: Type.String(),
    realtimeChannel: Type.String({ description: 'Realtime channel name: chat:{appId}:{channelId}' }),
  },
  {},
)

export const MemberSchema = Obj(
  {
    userId: Type.String(),
    role: Type.String(),
    muted: Type.Boolean(),
    lastReadSeq: Type.Integer(),
    joinedAt: Type.String(),
  },
  {},
)

export const PageQuery = Type.Object({
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  before: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages with seq < before' })),
  after: Type.Optional(Type.Integer({ minimum: 0, description: 'Only messages with seq > after' })),
  around: Type.Optional(Type.Integer({ minimum: 0, description: 'A window centred on this seq' })),
})

export const Empty = Type.Null({ description: 'No content' })
