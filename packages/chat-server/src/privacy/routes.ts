import type { ExportFile, FulfilResult, PrivacyRequest } from '@platform/service-kit/privacy'
import { Type } from '@sinclair/typebox'
import type { FastifyReply } from 'fastify'
import { appOf, userOf } from '../access/principal.js'
import { notFound } from '../shared/problems.js'
import { ExternalId, errorResponses, Obj, UserIdParams, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { getUser } from '../users/users.js'
import { SECURITY_LOG_SECTION } from './registry.js'
import { EXPORT_SECTIONS } from './user-data.js'

const Format = Type.Union([Type.Literal('json'), Type.Literal('csv')], { default: 'json' })
const Section = Type.Union(
  [...Object.keys(EXPORT_SECTIONS), SECURITY_LOG_SECTION].map((name) => Type.Literal(name)),
  { default: 'chat.messages', description: 'CSV only: which section (one file per section)' },
)
const ExportQuery = Type.Object({ format: Format, section: Section })
const Kind = Type.Union([Type.Literal('access'), Type.Literal('portability'), Type.Literal('erasure')], {
  description: 'access = Art. 15, portability = Art. 20, erasure = Art. 17',
})
const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()])
const RequestSchema = Obj({
  id: Type.String(),
  subjectId: Type.String(),
  kind: Type.String(),
  status: Type.String({ description: 'requested, verified, processing, done or rejected' }),
  format: Type.String(),
  requestedBy: Type.String(),
  requestedAt: Type.String(),
  verifiedBy: Nullable(Type.String()),
  verifiedAt: Nullable(Type.String()),
  completedAt: Nullable(Type.String()),
  result: Type.Union([Type.Record(Type.String(), Type.Unknown()), Type.Null()], {
    description: 'Counts per exporter or eraser; never the data itself',
  }),
  error: Nullable(Type.String()),
})
const FileSchema = Obj({ name: Type.String(), contentType: Type.String(), content: Type.String() })
const FulfilSchema = Obj({
  request: RequestSchema,
  files: Type.Optional(
    Type.Array(FileSchema, { description: 'The export (access, portability); not stored' }),
  ),
  erasure: Type.Optional(Type.Record(Type.String(), Type.Unknown())),
})
const NewRequest = Type.Object(
  { kind: Kind, format: Type.Optional(Format) },
  { additionalProperties: false, examples: [{ kind: 'portability', format: 'csv' }, { kind: 'erasure' }] },
)
const RequestParams = Type.Object({ requestId: UuidString('Privacy request id') })

/** The API view of a request: the app id is implied by the caller. */
const view = ({ appId: _appId, ...request }: PrivacyRequest) => request
const fulfilled = (result: FulfilResult) => ({
  request: view(result.request),
  ...(result.files ? { files: result.files } : {}),
  ...(result.erasure ? { erasure: result.erasure } : {}),
})

/**
 * GDPR through the kit's privacy framework: every export and erasure is a privacy request
 * (requested -> verified -> done) with an audit trail.
 * - Self-service (the user's token) and backend shortcuts run the three steps at once.
 * - The workflow routes let a request wait for verification by the app's backend.
 */
export const privacyRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, privacyRequests: requests } = services
  const tags = ['privacy']

  const sendExport = (
    files: ExportFile[],
    userId: string,
    query: { format: string; section: string },
    reply: FastifyReply,
  ) => {
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
        summary: 'Export your data (JSON, or CSV per section); recorded as a completed access request',
        querystring: ExportQuery,
        response: ExportResponse,
      },
    },
    async (request, reply) => {
      const who = userOf(request)
      const { files } = await requests.immediate(
        request,
        { appId: who.appId, subjectId: who.userId, kind: 'access', format: request.query.format },
        'user_access_token',
      )
      return sendExport(files ?? [], who.userId, request.query, reply)
    },
  )
  app.get(
    '/users/:userId/export',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: "Export a user's data (backend); recorded as a completed access request",
        params: UserIdParams,
        querystring: ExportQuery,
        response: ExportResponse,
      },
    },
    async (request, reply) => {
      const { appId } = appOf(request)
      const { userId } = request.params
      await getUser(ctx, appId, userId)
      const { files } = await requests.immediate(
        request,
        { appId, subjectId: userId, kind: 'access', format: request.query.format },
        'backend_api_key',
      )
      return sendExport(files ?? [], userId, request.query, reply)
    },
  )
  app.delete(
    '/me',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary:
          'Erase your account: messages become anonymous tombstones, everything else personal is deleted',
        response: {
          200: Obj({ erasedMessages: Type.Integer(), requestId: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const who = userOf(request)
      const result = await requests.immediate(
        request,
        { appId: who.appId, subjectId: who.userId, kind: 'erasure' },
        'user_access_token',
      )
      return { erasedMessages: result.erasure?.['chat.user']?.erased ?? 0, requestId: result.request.id }
    },
  )

  // --- the workflow: file, verify (backend), fulfil ---

  app.post(
    '/me/privacy-requests',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'File a request about your data; it waits for your app to verify it',
        body: NewRequest,
        response: { 201: Obj({ request: RequestSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const who = userOf(request)
      const filed = await requests.file(request, { appId: who.appId, subjectId: who.userId, ...request.body })
      return reply.code(201).send({ request: view(filed) })
    },
  )
  app.get(
    '/me/privacy-requests',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Your privacy requests, newest first',
        response: { 200: Obj({ requests: Type.Array(RequestSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const who = userOf(request)
      return { requests: (await requests.list(who.appId, { subjectId: who.userId })).map(view) }
    },
  )
  app.post(
    '/me/privacy-requests/:requestId/fulfil',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Collect your verified request: the export files, or the erasure of your account',
        params: RequestParams,
        response: { 200: FulfilSchema, ...errorResponses },
      },
    },
    async (request) => {
      const who = userOf(request)
      const found = await requests.get(who.appId, request.params.requestId, who.userId)
      return fulfilled(await requests.fulfil(request, found.id))
    },
  )

  app.post(
    '/users/:userId/privacy-requests',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: 'File a request for a user (e.g. received by e-mail); verify it before fulfilling',
        params: UserIdParams,
        body: NewRequest,
        response: { 201: Obj({ request: RequestSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { appId } = appOf(request)
      await getUser(ctx, appId, request.params.userId)
      const filed = await requests.file(request, { appId, subjectId: request.params.userId, ...request.body })
      return reply.code(201).send({ request: view(filed) })
    },
  )
  app.get(
    '/privacy-requests',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: "The app's privacy requests, newest first",
        querystring: Type.Object({
          status: Type.Optional(
            Type.Union(
              ['requested', 'verified', 'processing', 'done', 'rejected'].map((s) => Type.Literal(s)),
            ),
          ),
          userId: Type.Optional(ExternalId('Only this subject')),
        }),
        response: { 200: Obj({ requests: Type.Array(RequestSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      requests: (
        await requests.list(appOf(request).appId, {
          subjectId: request.query.userId,
          status: request.query.status as PrivacyRequest['status'] | undefined,
        })
      ).map(view),
    }),
  )
  app.get(
    '/privacy-requests/:requestId',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: 'One privacy request',
        params: RequestParams,
        response: { 200: Obj({ request: RequestSchema }), ...errorResponses },
      },
    },
    async (request) => ({
      request: view(await requests.get(appOf(request).appId, request.params.requestId)),
    }),
  )
  app.post(
    '/privacy-requests/:requestId/verify',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: "Confirm the subject's identity (your backend's check); requested -> verified",
        params: RequestParams,
        body: Type.Object(
          { method: Type.String({ minLength: 1, maxLength: 100, description: 'How identity was checked' }) },
          { additionalProperties: false, examples: [{ method: 'email-link' }] },
        ),
        response: { 200: Obj({ request: RequestSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const found = await requests.get(appOf(request).appId, request.params.requestId)
      return { request: view(await requests.verify(request, found.id, request.body.method)) }
    },
  )
  app.post(
    '/privacy-requests/:requestId/reject',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: 'Refuse a request (identity not confirmed, duplicate, ...)',
        params: RequestParams,
        body: Type.Object(
          { reason: Type.String({ minLength: 1, maxLength: 500 }) },
          { additionalProperties: false, examples: [{ reason: 'identity not confirmed' }] },
        ),
        response: { 200: Obj({ request: RequestSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const found = await requests.get(appOf(request).appId, request.params.requestId)
      return { request: view(await requests.reject(request, found.id, request.body.reason)) }
    },
  )
  app.post(
    '/privacy-requests/:requestId/fulfil',
    {
      preHandler: guards.server,
      schema: {
        tags,
        summary: 'Run a verified request: export files (handed to you, not stored) or erasure; -> done',
        params: RequestParams,
        response: { 200: FulfilSchema, ...errorResponses },
      },
    },
    async (request) => {
      const found = await requests.get(appOf(request).appId, request.params.requestId)
      return fulfilled(await requests.fulfil(request, found.id))
    },
  )
}
