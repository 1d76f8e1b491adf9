import { Type } from '@sinclair/typebox'
import { appOf, userOf } from '../access/principal.js'
import { anonymizeUser } from '../privacy/user-data.js'
import { Custom, ExternalId, errorResponses, Obj, UserIdParams, UserSchema } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { getUser, upsertUser, upsertUsers } from './users.js'

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
      const { user, created } = await upsertUser(
        ctx,
        appOf(request).appId,
        request.params.userId,
        request.body,
      )
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
      const results = await upsertUsers(ctx, appOf(request).appId, request.body.users)
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
        await anonymizeUser(ctx, appId, userId)
        return { userId, mode: 'anonymize' }
      }
      await getUser(ctx, appId, userId)
      const results = await services.privacy.eraseSubject({ appId, subjectId: userId })
      return { userId, mode: 'erase', erasedMessages: results['chat.user']?.erased ?? 0 }
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
