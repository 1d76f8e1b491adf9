import { Type } from '@sinclair/typebox'
import { notFound } from '../shared/problems.js'
import { Obj } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { listChatApps } from '../tenants/apps.js'
import { mintTokens } from '../tokens/tokens.js'
import { DEMO_APP_NAME, DEMO_MODERATOR, DEMO_USERS } from './seed.js'

const DemoUser = Obj({ id: Type.String(), name: Type.String(), moderator: Type.Boolean() })

/**
 * Development only: lets a person pick a demo user in the web app and get that user's tokens
 * without a backend. Serves only the seeded demo app's users. With NODE_ENV=production every
 * route here answers 404, as if it did not exist: production apps get tokens from their own
 * backend (`POST /v1/users/{id}/tokens` with the API key).
 */
export const demoRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx } = services
  const tags = ['development']

  app.addHook('onRequest', async () => {
    if (ctx.config.NODE_ENV === 'production') throw notFound('route')
  })
  const demoAppId = async () => {
    const demo = (await listChatApps(ctx)).find((a) => a.name === DEMO_APP_NAME)
    if (!demo) throw notFound('demo_app')
    return demo.id
  }

  app.get(
    '/dev/demo',
    {
      schema: {
        tags,
        summary: 'Development only (404 in production): the seeded demo app and the users one can sign in as',
        response: {
          200: Obj({ appId: Type.String(), defaultChannel: Type.String(), users: Type.Array(DemoUser) }),
          404: { $ref: 'Problem' },
        },
      },
    },
    async () => ({
      appId: await demoAppId(),
      defaultChannel: 'general',
      users: DEMO_USERS.map((u) => ({ ...u, moderator: u.id === DEMO_MODERATOR })),
    }),
  )

  app.post(
    '/dev/demo/tokens',
    {
      schema: {
        tags,
        summary: 'Development only (404 in production): a token set for a demo user',
        body: Type.Object(
          { userId: Type.Union(DEMO_USERS.map((u) => Type.Literal(u.id))) },
          { additionalProperties: false, examples: [{ userId: 'alice' }] },
        ),
        response: {
          200: Obj({
            appId: Type.String(),
            userId: Type.String(),
            accessToken: Type.String(),
            refreshToken: Type.String(),
            connectionToken: Type.String(),
            expiresIn: Type.Integer(),
          }),
          400: { $ref: 'Problem' },
          404: { $ref: 'Problem' },
        },
      },
    },
    async (request) => {
      const appId = await demoAppId()
      const tokens = await mintTokens(ctx, appId, request.body.userId)
      return { appId, userId: request.body.userId, ...tokens }
    },
  )
}
