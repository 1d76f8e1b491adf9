import { Type } from '@sinclair/typebox'
import { userOf } from '../access/principal.js'
import { ChannelIdParams, errorResponses, Obj, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { setPresence, typing } from './typing.js'

export const typingRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards } = services

  app.post(
    '/channels/:channelId/typing',
    {
      preHandler: guards.user,
      schema: {
        tags: ['realtime'],
        summary: 'Typing indicator (typing.start is throttled to one per 2 s per user and channel)',
        params: ChannelIdParams,
        body: Type.Object(
          {
            state: Type.Union([Type.Literal('start'), Type.Literal('stop')]),
            parentId: Type.Optional(UuidString('Thread parent')),
          },
          { additionalProperties: false, examples: [{ state: 'start' }] },
        ),
        response: { 200: Obj({ emitted: Type.Boolean() }), ...errorResponses },
      },
    },
    async (request) =>
      typing(ctx, userOf(request), request.params.channelId, request.body.state, request.body.parentId),
  )

  app.post(
    '/me/presence',
    {
      preHandler: guards.user,
      schema: {
        tags: ['realtime'],
        summary: 'Announce your presence to the channels you belong to',
        body: Type.Object(
          { status: Type.Union([Type.Literal('online'), Type.Literal('away'), Type.Literal('offline')]) },
          { additionalProperties: false, examples: [{ status: 'online' }] },
        ),
        response: { 200: Obj({ channels: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => setPresence(ctx, userOf(request), request.body.status),
  )
}
