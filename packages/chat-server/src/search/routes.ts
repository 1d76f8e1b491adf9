import { Type } from '@sinclair/typebox'
import { appOf } from '../access/principal.js'
import { ExternalId, errorResponses, MessageSchema, Obj } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { searchMessages } from './search.js'

export const searchRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards } = services
  app.get(
    '/search/messages',
    {
      preHandler: guards.app,
      schema: {
        tags: ['search'],
        summary:
          'Ranked full-text search (words, partial words, Japanese/Chinese) over messages you may read',
        querystring: Type.Object({
          q: Type.String({ minLength: 1, maxLength: 200, examples: ['ラーメン'] }),
          channelId: Type.Optional(ExternalId('Only this channel')),
          userId: Type.Optional(ExternalId('Only this author')),
          from: Type.Optional(Type.String({ format: 'date-time', description: 'Created at or after' })),
          to: Type.Optional(Type.String({ format: 'date-time', description: 'Created before' })),
          limit: Type.Integer({ minimum: 1, maximum: 100, default: 20 }),
          offset: Type.Integer({ minimum: 0, maximum: 1000, default: 0 }),
        }),
        response: {
          200: Obj({
            results: Type.Array(Obj({ message: MessageSchema, score: Type.Number() })),
            next: Type.Union([Type.Integer(), Type.Null()]),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => searchMessages(ctx, appOf(request), request.query),
  )
}
