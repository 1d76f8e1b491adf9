import { Type } from '@sinclair/typebox'
import { appOf, userOf } from '../access/principal.js'
import { deleteMessageAudited } from '../audit/message-deletes.js'
import {
  AttachmentInput,
  ChannelIdParams,
  Custom,
  ExternalId,
  errorResponses,
  MessageIdParams,
  MessageSchema,
  Obj,
  PageQuery,
  UuidString,
} from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { appSettings } from '../tenants/apps.js'
import {
  editHistory,
  editMessage,
  getMessage,
  listMessages,
  listPinned,
  listReplies,
  mentionsOf,
  present,
  setPinned,
} from './messages.js'
import { addReaction, removeReaction } from './reactions.js'
import { sendMessage } from './send.js'
import { toMessage } from './serialize.js'

const ReactionType = Type.String({
  pattern: '^[A-Za-z0-9_+\\-:]{1,64}$',
  description: 'Reaction name, e.g. like or :tada:',
})

export const messageRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, send } = services
  const any = { preHandler: guards.app }
  const user = { preHandler: guards.user }
  const tags = ['messages']
  const max = ctx.config.MESSAGE_MAX_LENGTH

  app.post(
    '/channels/:channelId/messages',
    {
      ...any,
      schema: {
        tags,
        summary:
          'Send a message (idempotent by clientMessageId: a repeat answers 200 with the first message)',
        params: ChannelIdParams,
        body: Type.Object(
          {
            // the limit is checked in the domain too, so a lowered config also binds old clients
            text: Type.Optional(Type.String({ maxLength: max })),
            clientMessageId: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
            parentId: Type.Optional(UuidString('Thread parent message id')),
            quotedMessageId: Type.Optional(UuidString('Quoted message id')),
            mentions: Type.Optional(Type.Array(ExternalId('Mentioned user id'), { maxItems: 100 })),
            attachments: Type.Optional(Type.Array(AttachmentInput, { maxItems: 20 })),
            custom: Type.Optional(Custom),
            userId: Type.Optional(ExternalId('Backends only: send on behalf of this user')),
          },
          {
            additionalProperties: false,
            examples: [{ text: 'hello @bob', clientMessageId: 'c-123', mentions: ['bob'] }],
          },
        ),
        response: {
          200: Obj({ message: MessageSchema }),
          201: Obj({ message: MessageSchema }),
          429: { $ref: 'Problem' },
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const who = appOf(request)
      const { row, created } = await sendMessage(ctx, send, who, request.params.channelId, request.body)
      // a new message has no reactions yet; only upload attachments (signed URLs) and repeats of an
      // older message (reactions since) need the full presentation
      const message = toMessage(row)
      const full = !created || message.attachments.some((a) => a.uploadId)
      return reply
        .code(created ? 201 : 200)
        .send({ message: full ? (await present(ctx, who, [row]))[0]! : message })
    },
  )

  app.get(
    '/channels/:channelId/messages',
    {
      ...any,
      schema: {
        tags,
        summary:
          'Page channel messages by seq (latest when no cursor); thread replies are listed under their parent',
        params: ChannelIdParams,
        querystring: PageQuery,
        response: { 200: Obj({ messages: Type.Array(MessageSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      messages: await listMessages(ctx, appOf(request), request.params.channelId, request.query),
    }),
  )

  app.get(
    '/channels/:channelId/pins',
    {
      ...any,
      schema: {
        tags,
        summary: 'Pinned messages',
        params: ChannelIdParams,
        response: { 200: Obj({ messages: Type.Array(MessageSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ messages: await listPinned(ctx, appOf(request), request.params.channelId) }),
  )

  app.get(
    '/messages/:messageId',
    {
      ...any,
      schema: {
        tags,
        summary: 'One message',
        params: MessageIdParams,
        response: { 200: Obj({ message: MessageSchema }), ...errorResponses },
      },
    },
    async (request) => ({ message: await getMessage(ctx, appOf(request), request.params.messageId) }),
  )

  app.patch(
    '/messages/:messageId',
    {
      ...any,
      schema: {
        tags,
        summary: 'Edit your message (the previous text is kept in its history)',
        params: MessageIdParams,
        body: Type.Object(
          {
            text: Type.Optional(Type.String({ minLength: 1, maxLength: max })),
            attachments: Type.Optional(Type.Array(AttachmentInput, { maxItems: 20 })),
            custom: Type.Optional(Custom),
            mentions: Type.Optional(Type.Array(ExternalId('Mentioned user id'), { maxItems: 100 })),
          },
          { additionalProperties: false, minProperties: 1, examples: [{ text: 'hello @bob (edited)' }] },
        ),
        response: { 200: Obj({ message: MessageSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const who = appOf(request)
      const filter = async (text: string) =>
        send.profanity(text, (await appSettings(ctx, who.appId)).profanity ?? 'off')
      return { message: await editMessage(ctx, who, request.params.messageId, request.body, filter) }
    },
  )

  app.get(
    '/messages/:messageId/history',
    {
      ...any,
      schema: {
        tags,
        summary: 'Edit history (previous texts, oldest first)',
        params: MessageIdParams,
        response: {
          200: Obj({
            edits: Type.Array(
              Obj({
                text: Type.String(),
                editedBy: Type.Union([Type.String(), Type.Null()]),
                editedAt: Type.String(),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ edits: await editHistory(ctx, appOf(request), request.params.messageId) }),
  )

  app.delete(
    '/messages/:messageId',
    {
      ...any,
      schema: {
        tags,
        summary: 'Delete a message: soft (author or moderator) or hard=true (moderators; the row is gone)',
        params: MessageIdParams,
        querystring: Type.Object({ hard: Type.Boolean({ default: false }) }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await deleteMessageAudited(services.audit, request, ctx, request.params.messageId, request.query.hard)
      return reply.code(204).send(null)
    },
  )

  for (const [method, pinned] of [
    ['post', true],
    ['delete', false],
  ] as const) {
    app[method](
      '/messages/:messageId/pin',
      {
        ...any,
        schema: {
          tags,
          summary: pinned ? 'Pin a message' : 'Unpin a message',
          params: MessageIdParams,
          response: { 200: Obj({ message: MessageSchema }), ...errorResponses },
        },
      },
      async (request) => ({
        message: await setPinned(ctx, appOf(request), request.params.messageId, pinned),
      }),
    )
  }

  app.get(
    '/messages/:messageId/replies',
    {
      ...any,
      schema: {
        tags,
        summary: 'Thread replies by seq',
        params: MessageIdParams,
        querystring: PageQuery,
        response: { 200: Obj({ messages: Type.Array(MessageSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      messages: await listReplies(ctx, appOf(request), request.params.messageId, request.query),
    }),
  )

  const ReactionResult = Obj({
    messageId: Type.String(),
    type: Type.String(),
    reactionCounts: Type.Record(Type.String(), Type.Integer()),
  })
  app.post(
    '/messages/:messageId/reactions',
    {
      ...user,
      schema: {
        tags: ['reactions'],
        summary: 'React (idempotent per user and type)',
        params: MessageIdParams,
        body: Type.Object(
          { type: ReactionType },
          { additionalProperties: false, examples: [{ type: 'like' }] },
        ),
        response: { 200: ReactionResult, ...errorResponses },
      },
    },
    async (request) => addReaction(ctx, userOf(request), request.params.messageId, request.body.type),
  )
  app.delete(
    '/messages/:messageId/reactions/:type',
    {
      ...user,
      schema: {
        tags: ['reactions'],
        summary: 'Remove your reaction',
        params: Type.Object({ ...MessageIdParams.properties, type: ReactionType }),
        response: { 200: ReactionResult, ...errorResponses },
      },
    },
    async (request) => removeReaction(ctx, userOf(request), request.params.messageId, request.params.type),
  )

  app.get(
    '/me/mentions',
    {
      ...user,
      schema: {
        tags,
        summary: 'Messages that mention you, newest first',
        querystring: Type.Object({
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          before: Type.Optional(UuidString('Page: messages older than this id')),
        }),
        response: { 200: Obj({ messages: Type.Array(MessageSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      messages: await mentionsOf(ctx, userOf(request), request.query.limit, request.query.before),
    }),
  )
}
