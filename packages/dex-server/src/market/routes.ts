import { HttpProblem, problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../app.js'
import type { Interval } from '../indexer/candles.js'
import { candleSeries } from './candle-series.js'
import { decodeSwapCursor, listSwaps } from './history.js'
import {
  AddressSchema,
  CandleSchema,
  IntervalSchema,
  PoolSchema,
  SwapSchema,
  TokenRefSchema,
  TokenSchema,
} from './schemas.js'

const unknownPool = (address: string) => problems.notFound(`no indexed pool at ${address}`, 'unknown_pool')

export const marketRoutes: DexPlugin = async (app, { market, registry, db }) => {
  const quoteToken = () => (market.quoteToken ? market.tokenRef(market.quoteToken) : null)

  app.get(
    '/v1/pools',
    {
      schema: {
        summary: 'Pools with reserves, price, TVL and 24 h volume (values in the quote token)',
        tags: ['market'],
        querystring: Type.Object({ token: Type.Optional(AddressSchema) }, { additionalProperties: false }),
        response: {
          200: Type.Object({
            quoteToken: Type.Union([TokenRefSchema, Type.Null()]),
            pools: Type.Array(PoolSchema),
          }),
        },
      },
    },
    async (request) => ({
      quoteToken: quoteToken(),
      pools: await market.pools({ token: request.query.token }),
    }),
  )

  app.get(
    '/v1/pools/:address',
    {
      schema: {
        summary: 'One pool',
        tags: ['market'],
        params: Type.Object({ address: AddressSchema }),
        response: {
          200: Type.Object({ quoteToken: Type.Union([TokenRefSchema, Type.Null()]), pool: PoolSchema }),
        },
      },
    },
    async (request) => {
      const pool = await market.pool(request.params.address)
      if (pool === null) throw unknownPool(request.params.address)
      return { quoteToken: quoteToken(), pool }
    },
  )

  app.get(
    '/v1/tokens',
    {
      schema: {
        summary: 'Indexed tokens with prices in the quote token, priced through the pool graph',
        tags: ['market'],
        response: {
          200: Type.Object({
            quoteToken: Type.Union([TokenRefSchema, Type.Null()]),
            tokens: Type.Array(TokenSchema),
          }),
        },
      },
    },
    async () => ({ quoteToken: quoteToken(), tokens: market.tokens() }),
  )

  app.get(
    '/v1/swaps',
    {
      schema: {
        summary: 'Swaps, newest first, paged with `cursor`',
        tags: ['market'],
        querystring: Type.Object(
          {
            pool: Type.Optional(AddressSchema),
            limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
            cursor: Type.Optional(
              Type.String({ maxLength: 40, description: 'nextCursor of the previous page' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            swaps: Type.Array(SwapSchema),
            nextCursor: Type.Union([Type.String(), Type.Null()]),
          }),
        },
      },
    },
    async (request) => {
      const { pool, limit, cursor } = request.query
      if (pool !== undefined && registry.pool(pool) === undefined) throw unknownPool(pool)
      const before = cursor === undefined ? undefined : decodeSwapCursor(cursor)
      if (before === null) {
        throw new HttpProblem(400, 'invalid_cursor', 'cursor is not a nextCursor value', {
          errors: [{ path: '/cursor', message: 'malformed cursor', in: 'querystring' }],
        })
      }
      return listSwaps(db.kysely, { pool, limit, before })
    },
  )

  app.get(
    '/v1/candles',
    {
      schema: {
        summary: 'OHLCV candles of a pool, oldest first, without gaps (price = token1 per token0 by default)',
        tags: ['market'],
        querystring: Type.Object(
          {
            pool: AddressSchema,
            interval: IntervalSchema,
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 300 }),
            from: Type.Optional(Type.String({ format: 'date-time' })),
            to: Type.Optional(Type.String({ format: 'date-time' })),
            base: Type.Union([Type.Literal('token0'), Type.Literal('token1')], {
              default: 'token0',
              description: 'The token priced: token0 (in token1) or token1 (in token0)',
            }),
            quote: Type.Union([Type.Literal('pair'), Type.Literal('usd')], {
              default: 'pair',
              description: "Prices in the pool's other token, or in USD (through the quote token's pools)",
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            pool: Type.String(),
            interval: Type.String(),
            base: Type.String({ description: 'Address of the priced token' }),
            quote: Type.String({ description: "Address of the token prices are in, or 'usd'" }),
            candles: Type.Array(CandleSchema),
          }),
        },
      },
    },
    async (request) => {
      const { pool: address, interval, limit, from, to, base, quote } = request.query
      const pool = registry.pool(address)
      if (pool === undefined) throw unknownPool(address)
      const series = await candleSeries(db.kysely, registry, market.quoteToken, {
        pool,
        interval: interval as Interval,
        limit,
        from: from ? new Date(from) : undefined,
        to: to ? new Date(to) : undefined,
        base,
        quote,
      })
      return { pool: pool.address, interval, ...series }
    },
  )
}
