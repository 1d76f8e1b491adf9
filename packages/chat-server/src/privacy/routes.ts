import { exportFiles, type PrivacyRegistry } from '@platform/service-kit/privacy'
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { appOf, userOf } from '../access/principal.js'
import { notFound } from '../shared/problems.js'
import { errorResponses, Obj, UserIdParams } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { getUser } from '../users/users.js'
import { EXPORT_SECTIONS } from './user-data.js'

const ExportQuery = Type.Object({
  format: Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' }),
  section: Type.Union(
    Object.keys(EXPORT_SECTIONS).map((name) => Type.Literal(name)),
    { default: 'chat.messages', description: 'CSV only: which section (one file per section)' },
  ),
})

/**
 * GDPR through the kit's privacy registry: export (Art. 15/20) as JSON or CSV, and erasure
 * (Art. 17), by the user themself or by their app's backend.
 */
export const privacyRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, privacy } = services
  const tags = ['privacy']

  const send = async (
    registry: PrivacyRegistry,
    appId: string,
    userId: string,
    query: { format: 'json' | 'csv'; section: string },
    reply: FastifyReply,
  ) => {
    await getUser(ctx, appId, userId)
    const data = await registry.exportSubject({ appId, subjectId: userId })
    const files = exportFiles(data, query.format)
    const file = query.format === 'json' ? files[0] : files.find((f) => f.name === `${query.section}.csv`)
    if (!file) throw notFound('section')
    return reply
      .type(file.contentType)
      .header('content-disposition', `attachment; filename="chat-${userId}-${file.name}"`)
      .send(file.content)
  }

  const ExportResponse = {
    200: Obj(
      {},
      { description: '{ subjectId, appId, generatedAt, sections } as JSON, or one section as CSV' },
    ),
    ...errorResponses,
  }
  app.get(
    '/me/export',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Export your data (JSON, or CSV per section)',
        querystring: ExportQuery,
        response: ExportResponse,
      },
    },
    async (request, reply) => {
      const who = userOf(request)
      return send(privacy, who.appId, who.userId, request.query, reply)
    },
  )
  app.get(
    '/users/:userId/export',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: "Export a user's data (backend)",
        params: UserIdParams,
        querystring: ExportQuery,
        response: ExportResponse,
      },
    },
    async (request, reply) =>
      send(privacy, appOf(request).appId, request.params.userId, request.query, reply),
  )
  app.delete(
    '/me',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary:
          'Erase your account: messages become anonymous tombstones, everything else personal is deleted',
        response: { 200: Obj({ erasedMessages: Type.Integer() }), ...errorResponses },
      },
    },
    async (request) => {
      const who = userOf(request)
      const results = await privacy.eraseSubject({ appId: who.appId, subjectId: who.userId })
      return { erasedMessages: results['chat.user']?.erased ?? 0 }
    },
  )
}
