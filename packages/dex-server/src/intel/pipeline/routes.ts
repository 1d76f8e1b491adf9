import { problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../../app.js'
import { AddressSchema } from '../../market/schemas.js'
import { AnswerCache, sendSerialized } from '../answer-cache.js'
import { BigintParam, NoQuery } from '../schemas.js'
import { intelDb } from '../tables.js'
import {
  accountAggregates,
  COUNTERPARTIES,
  MAX_TRADES,
  MAX_TVL_HOURS,
  poolAggregates,
  TRADE_CURSOR_PATTERN,
} from './aggregates.js'
import { listDeadLetters, replayDeadLetter } from './dlq.js'
import { pipelineRuntime } from './runtime.js'

const Amount = Type.String({ pattern: '^-?[0-9]+$', description: 'Integer in token base units' })
const Pair = Type.Array(Amount, { minItems: 2, maxItems: 2 })

const NullableSeconds = (description: string) => Type.Union([Type.Number(), Type.Null()], { description })

const StatusSchema = Type.Object({
  lag: Type.Object({
    events: Type.Integer({ description: 'Outbox events not yet applied' }),
    seconds: Type.Number({ description: 'Age of the oldest of them' }),
    blocks: Type.Union([Type.Integer(), Type.Null()], { description: 'Indexer head minus applied block' }),
  }),
  throughput: Type.Object({ eventsPerSecond: Type.Number(), windowSeconds: Type.Integer() }),
  dlq: Type.Object({ open: Type.Integer() }),
  outbox: Type.Object({ pending: Type.Integer({ description: 'Written, not yet published' }) }),
  totals: Type.Object({ applied: Type.Integer(), duplicates: Type.Integer(), deadLettered: Type.Integer() }),
  latency: Type.Object({
    p95Seconds: Type.Union([Type.Number(), Type.Null()], { description: 'Outbox write to applied' }),
    samples: Type.Integer(),
    stagesP95Seconds: Type.Object(
      {
        outbox: NullableSeconds('Outbox write to the relay publishing it'),
        queue: NullableSeconds('Publish to the consumer receiving it'),
        apply: NullableSeconds('Delivery to the commit of its batch'),
      },
      { description: 'Where the latency goes, stage by stage' },
    ),
  }),
  watermark: Type.Union([Type.Object({ blockNumber: Type.Integer(), seq: Type.Integer() }), Type.Null()]),
  updatedAt: Type.String(),
})

const DeadLetterSchema = Type.Object({
  id: Type.Integer(),
  eventId: Type.Union([Type.String(), Type.Null()]),
  code: Type.String({
    description: 'schema_invalid, address_not_checksummed, out_of_order, unknown_pool, handler_failed',
  }),
  reason: Type.String(),
  attempts: Type.Integer(),
  failedAt: Type.String(),
  resolvedAt: Type.Union([Type.String(), Type.Null()]),
  payload: Type.Unknown(),
})

export const pipelineRoutes: DexPlugin = async (app, deps) => {
  const runtime = pipelineRuntime(deps)
  const db = intelDb(deps)
  /** /pipeline/accounts answers, serialized, until the consumer changes the aggregates again. */
  const accountAnswers = new AnswerCache()

  app.get(
    '/pipeline',
    {
      schema: {
        summary: 'Event pipeline: lag behind the chain, throughput, DLQ size, outbox backlog',
        tags: ['intel'],
        querystring: NoQuery,
        response: { 200: StatusSchema },
      },
    },
    async () => runtime.snapshot ?? (await runtime.refresh()),
  )

  app.get(
    '/pipeline/dlq',
    {
      schema: {
        summary: 'Open dead letters, oldest first (page with `after` = the last id seen)',
        tags: ['intel'],
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            after: BigintParam({ minimum: 0, default: 0 }),
          },
          { additionalProperties: false },
        ),
        response: { 200: Type.Object({ deadLetters: Type.Array(DeadLetterSchema) }) },
      },
    },
    async (request) => ({ deadLetters: await listDeadLetters(db, request.query.limit, request.query.after) }),
  )

  app.post(
    '/pipeline/dlq/:id/replay',
    {
      schema: {
        summary:
          'Re-apply one dead letter (after fixing its cause); 422 with the new reason if it fails again',
        tags: ['intel'],
        params: Type.Object({ id: BigintParam({ minimum: 1 }) }),
        response: {
          200: Type.Object({
            status: Type.Union([Type.Literal('applied'), Type.Literal('duplicate')]),
            deadLetter: DeadLetterSchema,
          }),
        },
      },
    },
    async (request) => {
      const result = await replayDeadLetter(db, runtime.processor, request.params.id)
      if (result.status === 'not_found')
        throw problems.notFound(`no open dead letter ${request.params.id}`, 'unknown_dead_letter')
      if (result.status === 'failed') {
        throw problems.unprocessable(`replay failed: ${result.letter.reason}`, result.letter.code)
      }
      return { status: result.status, deadLetter: result.letter }
    },
  )

  app.get(
    '/pipeline/pools/:address',
    {
      schema: {
        summary:
          "A pool's 24 h volume and fees and its hourly TVL history (token base units), from the consumer's aggregates",
        tags: ['intel'],
        params: Type.Object({ address: AddressSchema }),
        querystring: Type.Object(
          { hours: Type.Integer({ minimum: 1, maximum: MAX_TVL_HOURS, default: 24 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            pool: Type.String(),
            token0: Type.String(),
            token1: Type.String(),
            reserves: Pair,
            volume24h: Pair,
            fees24h: Pair,
            trades24h: Type.Integer(),
            tvlHistory: Type.Array(Type.Object({ hour: Type.String(), reserves: Pair })),
          }),
        },
      },
    },
    async (request) => {
      const pool = await poolAggregates(db, request.params.address.toLowerCase(), request.query.hours)
      if (pool === null)
        throw problems.notFound(`no pool ${request.params.address} in the pipeline`, 'unknown_pool')
      return pool
    },
  )

  app.get(
    '/pipeline/accounts/:address',
    {
      schema: {
        summary:
          "An account's trade history (newest first, a page at a time: pass `nextCursor` as `before`) and busiest counterparties, from the consumer's aggregates",
        tags: ['intel'],
        params: Type.Object({ address: AddressSchema }),
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: MAX_TRADES, default: 50 }),
            before: Type.Optional(
              Type.String({ pattern: TRADE_CURSOR_PATTERN, description: "a previous page's nextCursor" }),
            ),
            beforeBlock: Type.Optional(
              BigintParam({ minimum: 0, description: 'only trades below this block' }),
            ),
            counterparties: Type.Integer({
              minimum: 0,
              maximum: COUNTERPARTIES.max,
              default: COUNTERPARTIES.default,
              description: 'most counterparties, busiest first',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            account: Type.String(),
            trades: Type.Array(
              Type.Object({
                pool: Type.String(),
                blockNumber: Type.Integer(),
                logIndex: Type.Integer(),
                txHash: Type.String(),
                time: Type.String(),
                tokenIn: Type.String(),
                tokenOut: Type.String(),
                amountIn: Amount,
                amountOut: Amount,
              }),
            ),
            nextCursor: Type.Union([Type.String(), Type.Null()], {
              description: "the next (older) page's cursor; null on the last page",
            }),
            counterparties: Type.Array(
              Type.Object({
                address: Type.String(),
                trades: Type.Integer(),
                firstBlock: Type.Integer(),
                lastBlock: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const account = request.params.address.toLowerCase()
      const { limit, before, beforeBlock, counterparties } = request.query
      // Cached only where the consumer runs: elsewhere nothing says when the aggregates moved.
      const cacheable = runtime.running
      const version = runtime.aggregatesVersion
      const key = `${account}|${limit}|${before ?? ''}|${beforeBlock ?? ''}|${counterparties}`
      const cached = cacheable ? accountAnswers.get(version, key) : undefined
      if (cached !== undefined) return sendSerialized(reply, cached)
      const answer = await accountAggregates(db, account, { limit, before, beforeBlock, counterparties })
      const body = String(reply.serialize(answer))
      if (cacheable) accountAnswers.set(version, runtime.aggregatesVersion, key, body)
      return sendSerialized(reply, body)
    },
  )
}
