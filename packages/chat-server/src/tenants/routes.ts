import { Type } from '@sinclair/typebox'
import { appOf } from '../access/principal.js'
import { Custom, errorResponses, Obj, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { createApiKey, listApiKeys, revokeApiKey } from './api-keys.js'
import { createChatApp, deleteChatApp, getChatApp, listChatApps, updateAppSettings } from './apps.js'
import { rotateSigningKey } from './signing-keys.js'

const AppSchema = Obj({ id: Type.String(), name: Type.String(), settings: Custom, createdAt: Type.String() })
const ApiKeySchema = Obj({
  id: Type.String(),
  name: Type.String(),
  prefix: Type.String({ description: 'Public lookup id of the key (safe to log)' }),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
})
const Settings = Type.Object(
  {
    profanity: Type.Optional(Type.Union([Type.Literal('off'), Type.Literal('mask'), Type.Literal('reject')])),
    retentionDays: Type.Optional(Type.Integer({ minimum: 1, maximum: 36500 })),
  },
  { additionalProperties: false, examples: [{ profanity: 'mask', retentionDays: 365 }] },
)

/** Operator API (ADMIN_API_KEY) and the app's own settings and keys (X-API-Key). */
export const tenantRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, audit } = services
  const admin = { preHandler: guards.admin }
  const server = { preHandler: guards.server }

  app.post(
    '/admin/apps',
    {
      ...admin,
      schema: {
        tags: ['admin'],
        summary: 'Create an app; the API key is shown only in this answer',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false, examples: [{ name: 'My chat' }] },
        ),
        response: {
          201: Obj(
            { app: AppSchema, apiKey: Type.String() },
            {
              examples: [
                {
                  app: {
                    id: '01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70',
                    name: 'My chat',
                    settings: {},
                    createdAt: '2026-01-01T00:00:00.000Z',
                  },
                  apiKey: 'chat_4fK2…',
                },
              ],
            },
          ),
          ...errorResponses,
        },
      },
    },
    async (request, reply) => {
      const created = await audit.change(
        request,
        ctx,
        (tx) => createChatApp(tx, request.body.name),
        ({ app }) => ({
          action: 'app.created',
          appId: app.id,
          target: { type: 'app', id: app.id },
          metadata: { name: app.name },
        }),
      )
      return reply.code(201).send(created)
    },
  )

  app.get(
    '/admin/apps',
    {
      ...admin,
      schema: {
        tags: ['admin'],
        summary: 'List apps',
        response: { 200: Obj({ apps: Type.Array(AppSchema) }) },
      },
    },
    async () => ({
      apps: await listChatApps(ctx),
    }),
  )

  const AppIdParams = Type.Object({ appId: UuidString('App id') })
  app.get(
    '/admin/apps/:appId',
    {
      ...admin,
      schema: {
        tags: ['admin'],
        summary: 'Get an app',
        params: AppIdParams,
        response: { 200: Obj({ app: AppSchema }), ...errorResponses },
      },
    },
    async (request) => ({ app: await getChatApp(ctx, request.params.appId) }),
  )
  app.delete(
    '/admin/apps/:appId',
    {
      ...admin,
      schema: {
        tags: ['admin'],
        summary: 'Delete an app and all its data',
        params: AppIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { appId } = request.params
      await audit.change(
        request,
        ctx,
        (tx) => deleteChatApp(tx, appId),
        () => ({ action: 'app.deleted', appId, target: { type: 'app', id: appId } }),
      )
      return reply.code(204).send(null)
    },
  )

  app.get(
    '/app',
    {
      ...server,
      schema: {
        tags: ['app'],
        summary: 'This app and its settings',
        response: { 200: Obj({ app: AppSchema }), ...errorResponses },
      },
    },
    async (request) => ({
      app: await getChatApp(ctx, appOf(request).appId),
    }),
  )
  app.patch(
    '/app',
    {
      ...server,
      schema: {
        tags: ['app'],
        summary: 'Change settings (profanity filter, retention)',
        body: Type.Object({ settings: Settings }, { additionalProperties: false }),
        response: { 200: Obj({ app: AppSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const { appId } = appOf(request)
      const updated = await audit.change(
        request,
        ctx,
        (tx) => updateAppSettings(tx, appId, request.body.settings),
        () => ({
          action: 'app.settings_changed',
          target: { type: 'app', id: appId },
          metadata: { settings: request.body.settings },
        }),
      )
      return { app: updated }
    },
  )
  app.get(
    '/app/keys',
    {
      ...server,
      schema: {
        tags: ['app'],
        summary: 'List API keys (never the secrets)',
        response: { 200: Obj({ keys: Type.Array(ApiKeySchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      keys: await listApiKeys(ctx, appOf(request).appId),
    }),
  )
  app.post(
    '/app/keys',
    {
      ...server,
      schema: {
        tags: ['app'],
        summary: 'Create a named API key; the key is shown only in this answer',
        body: Type.Object(
          { name: Type.String({ minLength: 1, maxLength: 100 }) },
          { additionalProperties: false, examples: [{ name: 'ci' }] },
        ),
        response: { 201: Obj({ key: ApiKeySchema, apiKey: Type.String() }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const created = await audit.change(
        request,
        ctx,
        (tx) => createApiKey(tx, appOf(request).appId, request.body.name),
        ({ key }) => ({
          action: 'apikey.created',
          target: { type: 'api_key', id: key.id },
          metadata: { name: key.name, prefix: key.prefix },
        }),
      )
      return reply.code(201).send(created)
    },
  )
  app.delete(
    '/app/keys/:keyId',
    {
      ...server,
      schema: {
        tags: ['app'],
        summary: 'Revoke an API key',
        params: Type.Object({ keyId: UuidString('Key id') }),
        response: { 200: Obj({ key: ApiKeySchema }), ...errorResponses },
      },
    },
    async (request) => {
      const key = await audit.change(
        request,
        ctx,
        (tx) => revokeApiKey(tx, appOf(request).appId, request.params.keyId),
        (key) => ({
          action: 'apikey.revoked',
          target: { type: 'api_key', id: key.id },
          metadata: { name: key.name, prefix: key.prefix },
        }),
      )
      return { key }
    },
  )
  app.post(
    '/app/signing-keys/rotate',
    {
      ...server,
      schema: {
        tags: ['app'],
        summary: 'Rotate the user-token signing key (old tokens verify until they expire)',
        response: { 200: Obj({ kid: Type.String() }), ...errorResponses },
      },
    },
    async (request) => {
      return audit.change(
        request,
        ctx,
        (tx) => rotateSigningKey(tx, appOf(request).appId),
        ({ kid }) => ({ action: 'signing_key.rotated', target: { type: 'signing_key', id: kid } }),
      )
    },
  )
}
