import { Type } from '@sinclair/typebox'
import { appOf, userOf } from '../access/principal.js'
import { ChannelIdParams, errorResponses, MessageIdParams, Obj } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { markRead, seenBy, unreadCounts } from './reads.js'

export const readRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards } = services
  const tags = ['reads']

  app.post(
    '/channels/:channelId/read',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Mark read up to seq (default: everything); the marker never moves back',
        params: ChannelIdParams,
        body: Type.Optional(
          Type.Object(
            { seq: Type.Optional(Type.Integer({ minimum: 0 })) },
            { additionalProperties: false, examples: [{ seq: 42 }, {}] },
          ),
        ),
        response: {
          200: Obj({
            channelId: Type.String(),
            lastReadSeq: Type.Integer(),
            lastReadAt: Type.Union([Type.String(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => markRead(ctx, userOf(request), request.params.channelId, request.body?.seq),
  )

  app.get(
    '/me/unread',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Unread counts per channel and in total',
        response: {
          200: Obj({
            totalUnreadCount: Type.Integer(),
            channels: Type.Array(
              Obj({ channelId: Type.String(), unreadCount: Type.Integer(), lastReadSeq: Type.Integer() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => unreadCounts(ctx, userOf(request)),
  )

  app.get(
    '/messages/:messageId/seen-by',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Read receipts: members who have read this message',
        params: MessageIdParams,
        response: {
          200: Obj({
            messageId: Type.String(),
            seq: Type.Integer(),
            users: Type.Array(
              Obj({ userId: Type.String(), readAt: Type.Union([Type.String(), Type.Null()]) }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => seenBy(ctx, appOf(request), request.params.messageId),
  )
}
