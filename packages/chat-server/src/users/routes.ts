import { Type } from '@sinclair/typebox'
import type { FastifyRequest } from 'fastify'
import { appOf, userOf } from '../access/principal.js'
import { anonymizeUser } from '../privacy/user-data.js'
import type { ChatContext } from '../shared/context.js'
import { Custom, ExternalId, errorResponses, Obj, UserIdParams, UserSchema } from '../shared/schemas.js'
import type { ChatServices, RoutePlugin } from '../shared/services.js'
import { type ChatUser, getUser, type UserInput, upsertUsers } from './users.js'

const UserBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 200 }),
    image: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
    custom: Type.Optional(Custom),
    role: Type.Optional(
      Type.Union([Type.Literal('user'), Type.Literal('admin')], {
        description: 'admin = app-wide moderator',
      }),
    ),
  },
  {
    additionalProperties: false,
    examples: [{ name: 'Alice', image: 'https://example.com/alice.png', custom: { team: 'blue' } }],
  },
)

/** App-wide roles before an upsert, to audit the ones it changes. */
async function currentRoles(
  ctx: ChatContext,
  appId: string,
  userIds: string[],
): Promise<Map<string, string>> {
  const rows = await ctx.db
    .selectFrom('users')
    .select(['id', 'role'])
    .where('app_id', '=', appId)
    .where('id', 'in', userIds)
    .execute()
  return new Map(rows.map((row) => [row.id, row.role]))
}

/**
 * Upserts users and records the role changes in one transaction: a user made app admin (app-wide
 * moderator) or demoted is a security event; new users count from 'user'.
 */
function upsertAudited(
  services: ChatServices,
  request: FastifyRequest,
  appId: string,
  users: (UserInput & { id: string })[],
): Promise<{ user: ChatUser; created: boolean }[]> {
  return services.audit
    .change(
      request,
      services.ctx,
      async (tx) => ({
        before: await currentRoles(
          tx,
          appId,
          users.map((user) => user.id),
        ),
        results: await upsertUsers(tx, appId, users),
      }),
      ({ before, results }) =>
        results
          .filter(({ user }) => (before.get(user.id) ?? 'user') !== user.role)
          .map(({ user }) => ({
            action: 'user.role_changed',
            target: { type: 'user', id: user.id },
            metadata: { from: before.get(user.id) ?? 'user', to: user.role, scope: 'app' },
          })),
    )
    .then(({ results }) => results)
}

/** Server-side user management (X-API-Key); users read profiles with their token. */
export const userRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards } = services

  app.put(
    '/users/:userId',
    {
      preHandler: guards.server,
      schema: {
        tags: ['users'],
        summary: 'Create or update a user',
        params: UserIdParams,
        body: UserBody,
        response: { 200: Obj({ user: UserSchema }), 201: Obj({ user: UserSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { appId } = appOf(request)
      const [result] = await upsertAudited(services, request, appId, [
        { id: request.params.userId, ...request.body },
      ])
      const { user, created } = result!
      return reply.code(created ? 201 : 200).send({ user })
    },
  )

  app.post(
    '/users/bulk',
    {
      preHandler: guards.server,
      schema: {
        tags: ['users'],
        summary: 'Create or update up to 100 users at once',
        body: Type.Object(
          {
            users: Type.Array(
              Type.Object(
                { id: ExternalId('User id'), ...UserBody.properties },
                { additionalProperties: false },
              ),
              { minItems: 1, maxItems: 100 },
            ),
          },
          {
            additionalProperties: false,
            examples: [
              {
                users: [
                  { id: 'alice', name: 'Alice' },
                  { id: 'bob', name: 'Bob' },
                ],
              },
            ],
          },
        ),
        response: { 200: Obj({ users: Type.Array(UserSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const { appId } = appOf(request)
      const results = await upsertAudited(services, request, appId, request.body.users)
      return { users: results.map((r) => r.user) }
    },
  )

  app.get(
    '/users/:userId',
    {
      preHandler: guards.app,
      schema: {
        tags: ['users'],
        summary: 'Get a user profile',
        params: UserIdParams,
        response: { 200: Obj({ user: UserSchema }), ...errorResponses },
      },
    },
    async (request) => ({ user: await getUser(ctx, appOf(request).appId, request.params.userId) }),
  )

  app.delete(
    '/users/:userId',
    {
      preHandler: guards.server,
      schema: {
        tags: ['users'],
        summary:
          'Delete a user: erase (GDPR Art. 17, messages become anonymous tombstones) or anonymize (profile only)',
        params: UserIdParams,
        querystring: Type.Object({
          mode: Type.Union([Type.Literal('erase'), Type.Literal('anonymize')], { default: 'erase' }),
        }),
        response: {
          200: Obj({
            userId: Type.String(),
            mode: Type.String(),
            erasedMessages: Type.Optional(Type.Integer()),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { appId } = appOf(request)
      const { userId } = request.params
      if (request.query.mode === 'anonymize') {
        await services.audit.change(
          request,
          ctx,
          (tx) => anonymizeUser(tx, appId, userId),
          () => ({ action: 'user.anonymized', target: { type: 'user', id: userId } }),
        )
        return { userId, mode: 'anonymize' }
      }
      await getUser(ctx, appId, userId)
      // an erasure by the backend is a privacy request, run through the audited workflow at once
      const result = await services.privacyRequests.immediate(
        request,
        { appId, subjectId: userId, kind: 'erasure' },
        'backend_api_key',
      )
      return {
        userId,
        mode: 'erase',
        erasedMessages: result.erasure?.['chat.user']?.erased ?? 0,
        requestId: result.request.id,
      }
    },
  )

  app.get(
    '/me',
    {
      preHandler: guards.user,
      schema: {
        tags: ['users'],
        summary: 'The calling user',
        response: { 200: Obj({ user: UserSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const who = userOf(request)
      return { user: await getUser(ctx, who.appId, who.userId) }
    },
  )
}
