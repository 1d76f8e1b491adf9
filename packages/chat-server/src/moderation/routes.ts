import { Type } from '@sinclair/typebox'
import { appOf, userOf } from '../access/principal.js'
import type { ChatAuditEntry } from '../audit/audit.js'
import {
  ExternalId,
  errorResponses,
  MessageIdParams,
  Obj,
  UserIdParams,
  UuidString,
} from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import {
  banUser,
  blockUser,
  flagMessage,
  listBans,
  listBlocks,
  listFlags,
  reviewFlag,
  unbanUser,
  unblockUser,
} from './moderation.js'

const BanSchema = Obj({
  userId: Type.String(),
  channelId: Type.Union([Type.String(), Type.Null()]),
  kind: Type.String(),
  reason: Type.Union([Type.String(), Type.Null()]),
  createdBy: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})
const FlagSchema = Obj({
  id: Type.String(),
  messageId: Type.String(),
  channelId: Type.String(),
  reporterId: Type.Union([Type.String(), Type.Null()]),
  reason: Type.Union([Type.String(), Type.Null()]),
  status: Type.String(),
  action: Type.Union([Type.String(), Type.Null()]),
  reviewedBy: Type.Union([Type.String(), Type.Null()]),
  reviewedAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
})
const BlockList = Obj({ blocks: Type.Array(Obj({ userId: Type.String(), createdAt: Type.String() })) })
const BanKind = Type.Union([Type.Literal('ban'), Type.Literal('mute')])

export const moderationRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards, audit } = services
  const tags = ['moderation']

  app.get(
    '/me/blocks',
    {
      preHandler: guards.user,
      schema: { tags, summary: 'Users you blocked', response: { 200: BlockList, ...errorResponses } },
    },
    async (request) => ({
      blocks: await listBlocks(ctx, userOf(request)),
    }),
  )
  app.put(
    '/me/blocks/:userId',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Block a user: their messages are hidden from you and their DMs refused',
        params: UserIdParams,
        response: { 200: BlockList, ...errorResponses },
      },
    },
    async (request) => ({ blocks: await blockUser(ctx, userOf(request), request.params.userId) }),
  )
  app.delete(
    '/me/blocks/:userId',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Unblock a user',
        params: UserIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await unblockUser(ctx, userOf(request), request.params.userId)
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/moderation/bans',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary:
          'Ban or mute a user app-wide (app admins, backends) or in a channel (its moderators), optionally with an expiry',
        body: Type.Object(
          {
            userId: ExternalId('User to ban'),
            channelId: Type.Optional(ExternalId('Only in this channel')),
            kind: Type.Optional(BanKind),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
            durationSeconds: Type.Optional(Type.Integer({ minimum: 1, maximum: 10 * 365 * 86400 })),
          },
          {
            additionalProperties: false,
            examples: [{ userId: 'mallory', channelId: 'general', reason: 'spam', durationSeconds: 86400 }],
          },
        ),
        response: { 201: Obj({ ban: BanSchema }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const ban = await audit.change(
        request,
        ctx,
        (tx) => banUser(tx, appOf(request), request.body),
        (ban) => ({
          action: ban.kind === 'mute' ? 'user.muted' : 'user.banned',
          target: { type: 'user', id: ban.userId },
          metadata: { channelId: ban.channelId, reason: ban.reason, expiresAt: ban.expiresAt },
        }),
      )
      return reply.code(201).send({ ban })
    },
  )
  app.delete(
    '/moderation/bans',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Lift a ban or mute',
        querystring: Type.Object({
          userId: ExternalId('User'),
          channelId: Type.Optional(ExternalId('Channel')),
          kind: Type.Optional(BanKind),
        }),
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await audit.change(
        request,
        ctx,
        (tx) => unbanUser(tx, appOf(request), request.query),
        () => ({
          action: request.query.kind === 'mute' ? 'user.unmuted' : 'user.unbanned',
          target: { type: 'user', id: request.query.userId },
          metadata: { channelId: request.query.channelId ?? null },
        }),
      )
      return reply.code(204).send(null)
    },
  )
  app.get(
    '/moderation/bans',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Active bans and mutes (app-wide list for app admins, per channel for its moderators)',
        querystring: Type.Object({ channelId: Type.Optional(ExternalId('Channel')) }),
        response: { 200: Obj({ bans: Type.Array(BanSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ bans: await listBans(ctx, appOf(request), request.query.channelId) }),
  )

  app.post(
    '/messages/:messageId/flags',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Report a message to the review queue',
        params: MessageIdParams,
        body: Type.Optional(
          Type.Object(
            { reason: Type.Optional(Type.String({ maxLength: 500 })) },
            { additionalProperties: false, examples: [{ reason: 'spam' }] },
          ),
        ),
        response: { 201: Obj({ flag: FlagSchema }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply.code(201).send({
        flag: await flagMessage(ctx, appOf(request), request.params.messageId, request.body?.reason),
      }),
  )
  app.get(
    '/moderation/flags',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'The review queue you may act on',
        querystring: Type.Object({
          status: Type.Union([Type.Literal('open'), Type.Literal('resolved'), Type.Literal('dismissed')], {
            default: 'open',
          }),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
        }),
        response: { 200: Obj({ flags: Type.Array(FlagSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      flags: await listFlags(ctx, appOf(request), request.query.status, request.query.limit),
    }),
  )
  app.post(
    '/moderation/flags/:flagId/review',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Act on a report: dismiss, resolve, delete_message (hard) or ban_user (in the channel)',
        params: Type.Object({ flagId: UuidString('Flag id') }),
        body: Type.Object(
          {
            action: Type.Union([
              Type.Literal('dismiss'),
              Type.Literal('resolve'),
              Type.Literal('delete_message'),
              Type.Literal('ban_user'),
            ]),
            banDurationSeconds: Type.Optional(Type.Integer({ minimum: 1 })),
            reason: Type.Optional(Type.String({ maxLength: 500 })),
          },
          { additionalProperties: false, examples: [{ action: 'ban_user', banDurationSeconds: 86400 }] },
        ),
        response: { 200: Obj({ flag: FlagSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const { action, banDurationSeconds } = request.body
      const flag = await audit.change(
        request,
        ctx,
        (tx) => reviewFlag(tx, appOf(request), request.params.flagId, request.body),
        async (flag, tx): Promise<ChatAuditEntry[]> => {
          const reviewed: ChatAuditEntry = {
            action: 'flag.reviewed',
            target: { type: 'flag', id: flag.id },
            metadata: { action, messageId: flag.messageId, channelId: flag.channelId },
          }
          // the consequences are security events of their own, findable by their target
          if (action === 'ban_user') {
            const author = await tx.db
              .selectFrom('messages')
              .select('user_id')
              .where('app_id', '=', appOf(request).appId)
              .where('id', '=', flag.messageId)
              .executeTakeFirst()
            return [
              reviewed,
              {
                action: 'user.banned',
                target: { type: 'user', id: String(author?.user_id) },
                metadata: {
                  channelId: flag.channelId,
                  flagId: flag.id,
                  durationSeconds: banDurationSeconds ?? null,
                },
              },
            ]
          }
          if (action === 'delete_message')
            return [
              reviewed,
              {
                action: 'message.deleted',
                target: { type: 'message', id: flag.messageId },
                metadata: { channelId: flag.channelId, hard: true, as: 'moderator', flagId: flag.id },
              },
            ]
          return [reviewed]
        },
      )
      return { flag }
    },
  )
}
