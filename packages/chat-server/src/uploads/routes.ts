import multipart from '@fastify/multipart'
import type { App } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import { appOf } from '../access/principal.js'
import { UPLOAD_CEILING_BYTES } from '../config.js'
import { badRequest, HttpProblem, notFound } from '../shared/problems.js'
import { ChannelIdParams, errorResponses, Obj, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { LocalStorage } from './local-storage.js'
import { tooLarge } from './policy.js'
import { completeUpload, prepareUpload, presignUpload, storeUpload, uploadUrl } from './uploads.js'

const UploadSchema = Obj(
  {
    id: Type.String(),
    channelId: Type.String(),
    userId: Type.Union([Type.String(), Type.Null()]),
    fileName: Type.String(),
    contentType: Type.String(),
    size: Type.Union([Type.Integer(), Type.Null()]),
    width: Type.Union([Type.Integer(), Type.Null()]),
    height: Type.Union([Type.Integer(), Type.Null()]),
    hasThumbnail: Type.Boolean(),
    status: Type.String(),
    createdAt: Type.String(),
  },
  {
    examples: [
      {
        id: '01936a3e-…',
        channelId: 'general',
        userId: 'alice',
        fileName: 'cat.png',
        contentType: 'image/png',
        size: 48213,
        width: 800,
        height: 600,
        hasThumbnail: true,
        status: 'ready',
        createdAt: '2026-01-01T00:00:00.000Z',
      },
    ],
  },
)
const UploadParams = Type.Object({ uploadId: UuidString('Upload id') })
const uploadProblems = { ...errorResponses, 413: { $ref: 'Problem' }, 415: { $ref: 'Problem' } }

export const uploadRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards } = services
  const tags = ['uploads']
  await app.register(multipart, { limits: { fileSize: UPLOAD_CEILING_BYTES, files: 1, fields: 5 } })

  app.post(
    '/channels/:channelId/uploads',
    {
      preHandler: guards.app,
      bodyLimit: UPLOAD_CEILING_BYTES + 1024 * 1024,
      schema: {
        tags,
        summary:
          'Upload a file (multipart/form-data, one part named file); images get dimensions and a thumbnail',
        consumes: ['multipart/form-data'],
        params: ChannelIdParams,
        response: { 201: Obj({ upload: UploadSchema }), ...uploadProblems },
      },
    },
    async (request, reply) => {
      const who = appOf(request)
      if (!request.isMultipart())
        throw new HttpProblem(415, 'multipart_required', 'send the file as multipart/form-data')
      const file = await request.file()
      if (!file) throw badRequest('file_required', 'no file part in the request')
      const limit = await prepareUpload(ctx, who, request.params.channelId, file.mimetype)
      const chunks: Buffer[] = []
      let size = 0
      for await (const chunk of file.file) {
        size += chunk.length
        if (size > limit) {
          file.file.resume()
          throw tooLarge(limit)
        }
        chunks.push(chunk)
      }
      if (file.file.truncated) throw tooLarge(limit)
      const upload = await storeUpload(ctx, who, request.params.channelId, {
        fileName: file.filename || 'file',
        contentType: file.mimetype,
        bytes: Buffer.concat(chunks),
      })
      return reply.code(201).send({ upload })
    },
  )

  app.post(
    '/channels/:channelId/uploads/presign',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary:
          'Start a direct-to-storage upload: PUT the bytes to uploadUrl with the given headers, then call complete',
        params: ChannelIdParams,
        body: Type.Object(
          {
            fileName: Type.String({ minLength: 1, maxLength: 255 }),
            contentType: Type.String({ minLength: 3, maxLength: 127 }),
            size: Type.Integer({ minimum: 1, maximum: UPLOAD_CEILING_BYTES }),
          },
          {
            additionalProperties: false,
            examples: [{ fileName: 'cat.png', contentType: 'image/png', size: 48213 }],
          },
        ),
        response: {
          201: Obj({
            upload: UploadSchema,
            uploadUrl: Type.String(),
            method: Type.String(),
            headers: Type.Record(Type.String(), Type.String()),
            expiresIn: Type.Integer(),
          }),
          ...uploadProblems,
        },
      },
    },
    async (request, reply) =>
      reply.code(201).send(await presignUpload(ctx, appOf(request), request.params.channelId, request.body)),
  )

  app.post(
    '/uploads/:uploadId/complete',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Finish a presigned upload: verifies size and type, makes the thumbnail',
        params: UploadParams,
        response: { 200: Obj({ upload: UploadSchema }), ...uploadProblems },
      },
    },
    async (request) => ({ upload: await completeUpload(ctx, appOf(request), request.params.uploadId) }),
  )

  app.get(
    '/uploads/:uploadId/url',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'A short-lived signed URL to read the file or its thumbnail (channel members only)',
        params: UploadParams,
        querystring: Type.Object({
          variant: Type.Union([Type.Literal('original'), Type.Literal('thumbnail')], { default: 'original' }),
        }),
        response: {
          200: Obj({ upload: UploadSchema, url: Type.String(), expiresAt: Type.String() }),
          ...errorResponses,
        },
      },
    },
    async (request) => uploadUrl(ctx, appOf(request), request.params.uploadId, request.query.variant),
  )

  const storage = ctx.storage
  if (storage instanceof LocalStorage) {
    // Local-disk driver: this server serves the signed URLs itself. In a scope of its own whose
    // only parser takes every body as bytes: Fastify's built-in text/plain and JSON parsers would
    // otherwise turn a presigned text or JSON file into a string or an object.
    await app.register(async (scope) => {
      const files = scope as unknown as App
      files.removeAllContentTypeParsers()
      files.addContentTypeParser(
        '*',
        { parseAs: 'buffer', bodyLimit: UPLOAD_CEILING_BYTES },
        (_request, body, done) => done(null, body),
      )
      const FileQuery = Type.Object({ exp: Type.Integer(), sig: Type.String({ maxLength: 128 }) })
      files.get(
        '/files/*',
        {
          schema: {
            tags,
            summary: 'Read a file through a signed URL (local storage)',
            querystring: FileQuery,
          },
        },
        async (request, reply) => {
          const key = (request.params as { '*': string })['*']
          if (!storage.verify('GET', key, request.query.exp, request.query.sig)) throw notFound('file')
          const bytes = await storage.get(key)
          const info = await storage.head(key)
          if (!bytes) throw notFound('file')
          return reply
            .header('cache-control', 'private, max-age=60')
            .header('x-content-type-options', 'nosniff')
            .type(info?.contentType ?? 'application/octet-stream')
            .send(bytes)
        },
      )
      files.put(
        '/files/*',
        {
          schema: {
            tags,
            summary: 'Write a file through a presigned URL (local storage)',
            querystring: FileQuery,
          },
        },
        async (request, reply) => {
          const key = (request.params as { '*': string })['*']
          const contentType = String(request.headers['content-type'] ?? '')
          if (!storage.verify('PUT', key, request.query.exp, request.query.sig, contentType))
            throw notFound('file')
          if (!Buffer.isBuffer(request.body))
            throw badRequest('body_required', 'send the file bytes as the body')
          await storage.put(key, request.body, contentType)
          return reply.code(204).send(null)
        },
      )
    })
  }
}
