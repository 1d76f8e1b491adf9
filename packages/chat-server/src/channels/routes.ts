import { Type } from '@sinclair/typebox'
import { appOf, userOf } from '../access/principal.js'
import {
  ChannelIdParams,
  ChannelSchema,
  Custom,
  ExternalId,
  errorResponses,
  MemberSchema,
  Obj,
  UserIdParams,
} from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import {
  addMembers,
  createChannel,
  deleteChannel,
  getChannel,
  joinChannel,
  listChannels,
  removeMember,
  setArchived,
  setChannelMuted,
  setMemberRole,
  updateChannel,
} from './channels.js'

const ChannelType = Type.Union(
  ['messaging', 'team', 'livestream', 'direct', 'group'].map((t) => Type.Literal(t)),
  {
    description:
      'messaging: private; team: public, anyone joins; livestream: anyone reads, members write; direct: 1:1 found by pair; group: group DM',
  },
)
const Role = Type.Union([Type.Literal('owner'), Type.Literal('moderator'), Type.Literal('member')])
const ChannelWithMembers = Obj({ channel: ChannelSchema, members: Type.Array(MemberSchema) })

export const channelRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards } = services
  const any = { preHandler: guards.app }
  const user = { preHandler: guards.user }
  const tags = ['channels']

  app.post(
    '/channels',
    {
      ...any,
      schema: {
        tags,
        summary:
          'Create a channel (direct channels are found or created by their member pair: 200 when found)',
        body: Type.Object(
          {
            type: ChannelType,
            id: Type.Optional(ExternalId('Channel id; generated when omitted')),
            name: Type.Optional(Type.String({ maxLength: 200 })),
            image: Type.Optional(Type.String({ maxLength: 2048 })),
            custom: Type.Optional(Custom),
            members: Type.Array(ExternalId('User id'), { maxItems: 1000 }),
            createdBy: Type.Optional(ExternalId('Owner, when a backend creates the channel')),
          },
          {
            additionalProperties: false,
            examples: [
              { type: 'messaging', id: 'general', name: 'General', members: ['bob', 'carol'] },
              { type: 'direct', members: ['bob'] },
            ],
          },
        ),
        response: { 200: ChannelWithMembers, 201: ChannelWithMembers, ...errorResponses },
      },
    },
    async (request, reply) => {
      const { created, ...result } = await createChannel(ctx, appOf(request), request.body)
      return reply.code(created ? 201 : 200).send(result)
    },
  )

  app.get(
    '/channels',
    {
      ...any,
      schema: {
        tags,
        summary: "The caller's channels with unread counts (add includePublic for joinable ones)",
        querystring: Type.Object({
          type: Type.Optional(ChannelType),
          limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
          includePublic: Type.Boolean({ default: false }),
        }),
        response: {
          200: Obj({
            channels: Type.Array(
              Obj({
                ...ChannelSchema.properties,
                unreadCount: Type.Integer(),
                role: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => ({ channels: await listChannels(ctx, appOf(request), request.query) }),
  )

  app.get(
    '/channels/:channelId',
    {
      ...any,
      schema: {
        tags,
        summary: 'A channel and its members',
        params: ChannelIdParams,
        response: { 200: ChannelWithMembers, ...errorResponses },
      },
    },
    async (request) => getChannel(ctx, appOf(request), request.params.channelId),
  )

  app.patch(
    '/channels/:channelId',
    {
      ...any,
      schema: {
        tags,
        summary: 'Update name, image, custom data (owner) or slow mode (moderators)',
        params: ChannelIdParams,
        body: Type.Object(
          {
            name: Type.Optional(Type.Union([Type.String({ maxLength: 200 }), Type.Null()])),
            image: Type.Optional(Type.Union([Type.String({ maxLength: 2048 }), Type.Null()])),
            custom: Type.Optional(Custom),
            slowModeSeconds: Type.Optional(Type.Integer({ minimum: 0, maximum: 86_400 })),
          },
          {
            additionalProperties: false,
            minProperties: 1,
            examples: [{ name: 'General chat' }, { slowModeSeconds: 30 }],
          },
        ),
        response: { 200: Obj({ channel: ChannelSchema }), ...errorResponses },
      },
    },
    async (request) => ({
      channel: await updateChannel(ctx, appOf(request), request.params.channelId, request.body),
    }),
  )

  for (const [path, archived] of [
    ['archive', true],
    ['unarchive', false],
  ] as const) {
    app.post(
      `/channels/:channelId/${path}`,
      {
        ...any,
        schema: {
          tags,
          summary: `${archived ? 'Archive (read-only)' : 'Unarchive'} a channel (owner)`,
          params: ChannelIdParams,
          response: { 200: Obj({ channel: ChannelSchema }), ...errorResponses },
        },
      },
      async (request) => ({
        channel: await setArchived(ctx, appOf(request), request.params.channelId, archived),
      }),
    )
  }

  app.delete(
    '/channels/:channelId',
    {
      ...any,
      schema: {
        tags,
        summary: 'Delete a channel and its messages (owner)',
        params: ChannelIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await services.audit.change(
        request,
        ctx,
        (tx) => deleteChannel(tx, appOf(request), request.params.channelId),
        () => ({ action: 'channel.deleted', target: { type: 'channel', id: request.params.channelId } }),
      )
      return reply.code(204).send(null)
    },
  )

  app.post(
    '/channels/:channelId/members',
    {
      ...any,
      schema: {
        tags,
        summary: 'Invite members (owner/moderators; any member of a group DM)',
        params: ChannelIdParams,
        body: Type.Object(
          {
            userIds: Type.Array(ExternalId('User id'), { minItems: 1, maxItems: 100 }),
            role: Type.Optional(Role),
          },
          { additionalProperties: false, examples: [{ userIds: ['dave'] }] },
        ),
        response: { 200: Obj({ added: Type.Array(MemberSchema) }), ...errorResponses },
      },
    },
    async (request) => ({
      added: await addMembers(
        ctx,
        appOf(request),
        request.params.channelId,
        request.body.userIds,
        request.body.role,
      ),
    }),
  )

  const MemberParams = Type.Object({ ...ChannelIdParams.properties, ...UserIdParams.properties })
  app.delete(
    '/channels/:channelId/members/:userId',
    {
      ...any,
      schema: {
        tags,
        summary: 'Remove a member (moderators) or leave (yourself)',
        params: MemberParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      await removeMember(ctx, appOf(request), request.params.channelId, request.params.userId)
      return reply.code(204).send(null)
    },
  )

  app.patch(
    '/channels/:channelId/members/:userId',
    {
      ...any,
      schema: {
        tags,
        summary: 'Change a member role (owner)',
        params: MemberParams,
        body: Type.Object({ role: Role }, { additionalProperties: false, examples: [{ role: 'moderator' }] }),
        response: { 200: Obj({ member: MemberSchema }), ...errorResponses },
      },
    },
    async (request) => {
      const member = await services.audit.change(
        request,
        ctx,
        (tx) =>
          setMemberRole(
            tx,
            appOf(request),
            request.params.channelId,
            request.params.userId,
            request.body.role,
          ),
        () => ({
          action: 'member.role_changed',
          target: { type: 'user', id: request.params.userId },
          metadata: { channelId: request.params.channelId, to: request.body.role, scope: 'channel' },
        }),
      )
      return { member }
    },
  )

  app.post(
    '/channels/:channelId/join',
    {
      ...user,
      schema: {
        tags,
        summary: 'Join a public channel (team, livestream)',
        params: ChannelIdParams,
        response: { 200: Obj({ added: Type.Array(MemberSchema) }), ...errorResponses },
      },
    },
    async (request) => ({ added: await joinChannel(ctx, userOf(request), request.params.channelId) }),
  )

  app.post(
    '/channels/:channelId/leave',
    {
      ...user,
      schema: {
        tags,
        summary: 'Leave a channel',
        params: ChannelIdParams,
        response: { 204: Type.Null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const who = userOf(request)
      await removeMember(ctx, who, request.params.channelId, who.userId)
      return reply.code(204).send(null)
    },
  )

  for (const [path, muted] of [
    ['mute', true],
    ['unmute', false],
  ] as const) {
    app.post(
      `/channels/:channelId/${path}`,
      {
        ...user,
        schema: {
          tags,
          summary: `${muted ? 'Mute' : 'Unmute'} the channel for yourself (notifications)`,
          params: ChannelIdParams,
          response: { 200: Obj({ member: MemberSchema }), ...errorResponses },
        },
      },
      async (request) => ({
        member: await setChannelMuted(ctx, userOf(request), request.params.channelId, muted),
      }),
    )
  }
}
