import { problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { Address } from 'viem'
import type { DexPlugin } from '../app.js'
import { HISTORY_INTERVALS, type HistoryInterval, poolHistory, priceChanges24h } from './analytics.js'
import { AddressSchema, TokenRefSchema } from './schemas.js'
import { buildTokenList } from './token-list.js'

const Amount = Type.Union([Type.String(), Type.Null()], {
  description: 'Quote-token base units, null when unpriced',
})
const ChangeSchema = Type.Object({
  open: Type.String({
    description: 'Price 24 h ago (token1 per token0 for a pool, quote per token for a token)',
  }),
  close: Type.String({ description: 'Price now, same unit' }),
  changePercent: Type.String({ description: 'Percent, 4 decimals' }),
})

/**
 * What the web app needs beyond the core market routes: the Uniswap-format token list, a pool's
 * TVL/volume/fees history, and 24 h price changes. All computed here from indexed data.
 */
export const analyticsRoutes: DexPlugin = async (app, { chain, registry, market, db }) => {
  app.get(
    '/v1/tokenlist',
    {
      schema: {
        summary: 'The listed tokens in the Uniswap token-list JSON schema',
        description:
          'Embedded chain: the tokens it was seeded with. Remote chain: every indexed token with sane metadata. ' +
          'Any other token must be imported by address.',
        tags: ['market'],
        response: {
          200: Type.Object({
            name: Type.String(),
            timestamp: Type.String({ format: 'date-time' }),
            version: Type.Object({ major: Type.Integer(), minor: Type.Integer(), patch: Type.Integer() }),
            keywords: Type.Array(Type.String()),
            tokens: Type.Array(
              Type.Object({
                chainId: Type.Integer(),
                address: Type.String(),
                name: Type.String(),
                symbol: Type.String(),
                decimals: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async () => {
      const seeded = new Map(chain.tokens.map((t) => [t.address.toLowerCase(), t]))
      const candidates =
        seeded.size > 0
          ? registry.tokens().filter((t) => seeded.has(t.address.toLowerCase()))
          : registry.tokens()
      return buildTokenList(chain.chainId, candidates)
    },
  )

  app.get(
    '/v1/pools/:address/history',
    {
      schema: {
        summary: 'TVL, volume and fees of a pool per hour or day, oldest first (quote-token base units)',
        description:
          'TVL is exact at each bucket for pools holding the quote token; other pools are valued at current prices.',
        tags: ['market'],
        params: Type.Object({ address: AddressSchema }),
        querystring: Type.Object(
          {
            interval: Type.Union(
              HISTORY_INTERVALS.map((i) => Type.Literal(i)),
              { default: '1h' },
            ),
            limit: Type.Integer({ minimum: 1, maximum: 1000, default: 168 }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            pool: Type.String(),
            interval: Type.String(),
            quoteToken: Type.Union([TokenRefSchema, Type.Null()]),
            priceChange24h: Type.Union([ChangeSchema, Type.Null()]),
            points: Type.Array(
              Type.Object({
                time: Type.String({ format: 'date-time', description: 'Bucket start' }),
                tvl: Amount,
                volume: Amount,
                fees: Amount,
                reserves: Type.Array(Type.String(), { minItems: 2, maxItems: 2 }),
                trades: Type.Integer(),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const pool = registry.pool(request.params.address)
      if (pool === undefined)
        throw problems.notFound(`no indexed pool at ${request.params.address}`, 'unknown_pool')
      const { interval, limit } = request.query
      const valuation = { quoteToken: market.quoteToken, prices: market.prices() }
      const [points, changes] = await Promise.all([
        poolHistory(db.kysely, pool, interval as HistoryInterval, limit, valuation),
        priceChanges24h(db.kysely, [pool.address]),
      ])
      return {
        pool: pool.address,
        interval,
        quoteToken: market.quoteToken ? market.tokenRef(market.quoteToken) : null,
        priceChange24h: changes.get(pool.address) ?? null,
        points,
      }
    },
  )

  app.get(
    '/v1/price-changes',
    {
      schema: {
        summary: '24 h price change of every pool, and of every token paired directly with the quote token',
        tags: ['market'],
        response: {
          200: Type.Object({
            quoteToken: Type.Union([TokenRefSchema, Type.Null()]),
            pools: Type.Array(Type.Object({ pool: Type.String(), ...ChangeSchema.properties })),
            tokens: Type.Array(Type.Object({ token: Type.String(), ...ChangeSchema.properties })),
          }),
        },
      },
    },
    async () => {
      const pools = registry.pools()
      const changes = await priceChanges24h(
        db.kysely,
        pools.map((p) => p.address),
      )
      const quote = market.quoteToken?.toLowerCase() ?? null
      const tokens: Array<{ token: string; open: string; close: string; changePercent: string }> = []
      if (quote !== null) {
        // The deepest direct pool per token sets its change (pools() is not ordered by depth).
        const deepest = new Map<string, { reserve: bigint; pool: Address; side: 0 | 1 }>()
        for (const p of pools) {
          const side = p.token1 === quote ? 0 : p.token0 === quote ? 1 : null
          if (side === null) continue
          const token = side === 0 ? p.token0 : p.token1
          const reserve = side === 0 ? p.reserve1 : p.reserve0
          if ((deepest.get(token)?.reserve ?? -1n) < reserve)
            deepest.set(token, { reserve, pool: p.address, side })
        }
        for (const [token, { pool, side }] of deepest) {
          const change = changes.get(pool)
          if (!change) continue
          // Side 1: the pool prices the quote in the token; the token's change is the inverse move.
          tokens.push(side === 0 ? { token, ...change } : { token, ...invert(change) })
        }
      }
      return {
        quoteToken: quote ? market.tokenRef(quote as Address) : null,
        pools: [...changes].map(([pool, c]) => ({ pool, ...c })),
        tokens,
      }
    },
  )
}

const SCALE = 10n ** 18n

/** 1/price for both ends, and the change recomputed, in 18-decimal fixed point (no float). */
function invert(change: { open: string; close: string }): {
  open: string
  close: string
  changePercent: string
} {
  const open = toFixed18(change.open)
  const close = toFixed18(change.close)
  if (open === 0n || close === 0n) return { open: '0', close: '0', changePercent: '0.0000' }
  const inverseOpen = (SCALE * SCALE) / open
  const inverseClose = (SCALE * SCALE) / close
  // (1/close) / (1/open) - 1 = open/close - 1, in basis points of a percent (4 decimals).
  const changeE4 = ((open - close) * 1_000_000n) / close
  return { open: fromFixed18(inverseOpen), close: fromFixed18(inverseClose), changePercent: fromE4(changeE4) }
}

function toFixed18(text: string): bigint {
  const [whole = '0', fraction = ''] = text.split('.')
  return BigInt(whole) * SCALE + BigInt(fraction.slice(0, 18).padEnd(18, '0'))
}

function fromFixed18(value: bigint): string {
  return `${value / SCALE}.${(value % SCALE).toString().padStart(18, '0')}`
}

function fromE4(value: bigint): string {
  const negative = value < 0n
  const abs = negative ? -value : value
  return `${negative ? '-' : ''}${abs / 10_000n}.${(abs % 10_000n).toString().padStart(4, '0')}`
}
