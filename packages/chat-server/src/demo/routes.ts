import { Type } from '@sinclair/typebox'
import type { FastifyInstance } from 'fastify'
import type { ChatContext } from '../shared/context.js'
import { notFound } from '../shared/problems.js'
import { listChatApps } from '../tenants/apps.js'
import { mintTokens } from '../tokens/tokens.js'
import { DEMO_APP_NAME, DEMO_USERS } from './seed.js'

/**
 * Development and embedded mode only: `POST /v1/dev/tokens {userId}` signs the demo web app in as
 * a demo user of the seeded demo app. With NODE_ENV=production the route is not registered and
 * the path answers 404 like any unknown one: production apps get tokens from their own backend.
 */
export async function devTokenRoutes(app: FastifyInstance, options: { production: boolean }): Promise<void> {
  if (options.production) return
  app.post(
    '/v1/dev/tokens',
    {
      schema: {
        tags: ['development'],
        summary: 'Development only (404 in production): tokens for a demo user of the seeded demo app',
        body: Type.Object(
          { userId: Type.Union(DEMO_USERS.map((user) => Type.Literal(user.id))) },
          { additionalProperties: false },
        ),
      },
    },
    async (request) => {
      const ctx = app.chat.services.ctx as ChatContext
      const demo = (await listChatApps(ctx)).find((chatApp) => chatApp.name === DEMO_APP_NAME)
      if (!demo) throw notFound('demo app')
      const { userId } = request.body as { userId: string }
      const { accessToken, connectionToken, expiresIn } = await mintTokens(ctx, demo.id, userId)
      return { userId, accessToken, connectionToken, expiresIn }
    },
  )
}
