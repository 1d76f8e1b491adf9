import type { App } from '@platform/service-kit/http'
import type { FastifyReply, FastifyRequest, RouteOptions } from 'fastify'
import type { ChatContext } from '../shared/context.js'
import { isUuid } from '../shared/ids.js'
import type { ChatAudit } from './audit.js'

const ROUTE = '/v1/messages/:messageId'

/**
 * Audits deletions of other people's messages (a moderator, an app admin or the backend) and every
 * hard delete, without touching the message domain: a preHandler after the guard notes the
 * author and channel (a hard delete removes the row), and onSend records the action once the
 * route answered 204. An author soft-deleting their own message is ordinary use, not audited.
 */
export function auditMessageDeletes(scope: App, ctx: ChatContext, audit: ChatAudit): void {
  const seen = new WeakMap<FastifyRequest, { userId: string | null; channelId: string }>()

  const lookup = async (request: FastifyRequest) => {
    const { messageId } = request.params as { messageId: string }
    const principal = request.principal
    if (!principal || principal.kind === 'admin' || !isUuid(messageId)) return
    const row = await ctx.db
      .selectFrom('messages')
      .select(['user_id', 'channel_id'])
      .where('app_id', '=', principal.appId)
      .where('id', '=', messageId)
      .executeTakeFirst()
    if (row) seen.set(request, { userId: row.user_id, channelId: row.channel_id })
  }

  const record = async (request: FastifyRequest, reply: FastifyReply, payload: unknown) => {
    const message = seen.get(request)
    if (reply.statusCode !== 204 || !message) return payload
    const hard = Boolean((request.query as { hard?: boolean }).hard)
    const principal = request.principal
    const byAuthor = principal?.kind === 'user' && principal.userId === message.userId
    if (byAuthor && !hard) return payload
    await audit.record(request, {
      action: 'message.deleted',
      target: { type: 'message', id: (request.params as { messageId: string }).messageId },
      metadata: {
        channelId: message.channelId,
        authorId: message.userId,
        hard,
        as: principal?.kind === 'server' ? 'backend' : byAuthor ? 'author' : 'moderator',
      },
    })
    return payload
  }

  scope.addHook('onRoute', (route: RouteOptions) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method]
    if (route.url !== ROUTE || !methods.includes('DELETE')) return
    route.preHandler = [...asArray(route.preHandler), lookup]
    route.onSend = [...asArray(route.onSend), record]
  })
}

function asArray<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return []
  return Array.isArray(value) ? value : [value]
}
