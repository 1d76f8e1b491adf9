import { Type } from '@sinclair/typebox'
import { appOf, userOf } from '../access/principal.js'
import { errorResponses, MessageIdParams, Obj, UuidString } from '../shared/schemas.js'
import type { RoutePlugin } from '../shared/services.js'
import { closePoll, createPoll, getPoll, unvote, vote } from './polls.js'

const PollSchema = Obj(
  {
    id: Type.String(),
    messageId: Type.String(),
    channelId: Type.String(),
    question: Type.String(),
    multiple: Type.Boolean(),
    anonymous: Type.Boolean(),
    createdBy: Type.Union([Type.String(), Type.Null()]),
    closedAt: Type.Union([Type.String(), Type.Null()]),
    createdAt: Type.String(),
    options: Type.Array(
      Obj({
        id: Type.String(),
        text: Type.String(),
        voteCount: Type.Integer(),
        voters: Type.Optional(Type.Array(Type.String())),
      }),
    ),
    voterCount: Type.Integer(),
    ownVotes: Type.Array(Type.String()),
  },
  {
    examples: [
      {
        id: '01936a3e-…',
        messageId: '01936a3e-…',
        channelId: 'general',
        question: 'Lunch?',
        multiple: false,
        anonymous: false,
        createdBy: 'alice',
        closedAt: null,
        createdAt: '2026-01-01T00:00:00.000Z',
        options: [{ id: '01936a3f-…', text: 'Soba', voteCount: 2, voters: ['alice', 'bob'] }],
        voterCount: 2,
        ownVotes: ['01936a3f-…'],
      },
    ],
  },
)
const PollParams = Type.Object({ pollId: UuidString('Poll id') })

export const pollRoutes: RoutePlugin = async (app, { services }) => {
  const { ctx, guards } = services
  const tags = ['polls']

  app.post(
    '/messages/:messageId/poll',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Attach a poll to your message',
        params: MessageIdParams,
        body: Type.Object(
          {
            question: Type.String({ minLength: 1, maxLength: 500 }),
            options: Type.Array(Type.String({ minLength: 1, maxLength: 200 }), { minItems: 2, maxItems: 20 }),
            multiple: Type.Optional(Type.Boolean()),
            anonymous: Type.Optional(Type.Boolean()),
          },
          {
            additionalProperties: false,
            examples: [{ question: 'Lunch?', options: ['Soba', 'Udon'], multiple: false }],
          },
        ),
        response: { 201: Obj({ poll: PollSchema }), ...errorResponses },
      },
    },
    async (request, reply) =>
      reply
        .code(201)
        .send({ poll: await createPoll(ctx, appOf(request), request.params.messageId, request.body) }),
  )

  app.get(
    '/polls/:pollId',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Poll with exact counts',
        params: PollParams,
        response: { 200: Obj({ poll: PollSchema }), ...errorResponses },
      },
    },
    async (request) => ({ poll: await getPoll(ctx, appOf(request), request.params.pollId) }),
  )

  app.post(
    '/polls/:pollId/votes',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Vote (single-choice polls replace your previous vote)',
        params: PollParams,
        body: Type.Object(
          { optionIds: Type.Array(UuidString('Option id'), { minItems: 1, maxItems: 20 }) },
          { additionalProperties: false },
        ),
        response: { 200: Obj({ poll: PollSchema }), ...errorResponses },
      },
    },
    async (request) => ({
      poll: await vote(ctx, userOf(request), request.params.pollId, request.body.optionIds),
    }),
  )

  app.delete(
    '/polls/:pollId/votes',
    {
      preHandler: guards.user,
      schema: {
        tags,
        summary: 'Remove your vote for one option (optionId) or all your votes',
        params: PollParams,
        querystring: Type.Object({ optionId: Type.Optional(UuidString('Option id')) }),
        response: { 200: Obj({ poll: PollSchema }), ...errorResponses },
      },
    },
    async (request) => ({
      poll: await unvote(ctx, userOf(request), request.params.pollId, request.query.optionId),
    }),
  )

  app.post(
    '/polls/:pollId/close',
    {
      preHandler: guards.app,
      schema: {
        tags,
        summary: 'Close the poll (creator or moderator)',
        params: PollParams,
        response: { 200: Obj({ poll: PollSchema }), ...errorResponses },
      },
    },
    async (request) => ({ poll: await closePoll(ctx, appOf(request), request.params.pollId) }),
  )
}
