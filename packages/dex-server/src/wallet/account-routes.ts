import { Type } from '@sinclair/typebox'
import type { Address } from 'viem'
import type { DexPlugin } from '../app.js'
import { valueInQuote } from '../market/pricing.js'
import { TokenRefSchema } from '../market/schemas.js'
import { asProblem } from '../quote/problem.js'
import { parseAddress } from '../quote/request.js'
import { readBalances } from './balances.js'
import { publicClientFor } from './chain-client.js'
import { accountActivity } from './history.js'
import { readPositions } from './positions.js'
import { candidatePools } from './routes.js'

const AddressParam = Type.Object({ address: Type.String({ description: 'Wallet address', maxLength: 42 }) })
const Value = Type.Union([Type.String(), Type.Null()], {
  description: 'Quote-token base units; null when unpriced',
})

/** A swap of the account: one pool, or a multi-hop path as one entry. */
const SwapEntry = Type.Object({
  kind: Type.Literal('swap'),
  txHash: Type.String(),
  blockNumber: Type.Integer(),
  logIndex: Type.Integer({ description: "The last hop's Swap log" }),
  time: Type.String({ format: 'date-time' }),
  pool: Type.String({ description: "The first hop's pool" }),
  pools: Type.Array(Type.String(), { description: "Every hop's pool, in path order" }),
  tokenIn: TokenRefSchema,
  amountIn: Type.String({ description: 'What the first hop took, base units' }),
  tokenOut: TokenRefSchema,
  amountOut: Type.String({ description: 'What the last hop paid out, base units' }),
  recipient: Type.String({
    description: "The last hop's `to`: the router when it paid the output out in native ETH",
  }),
  txFrom: Type.Union([Type.String(), Type.Null()], {
    description: "The transaction's sender; null for swaps indexed before it was recorded",
  }),
  nativeIn: Type.Boolean({
    description:
      'The account paid native ETH: the transaction sent value and the first hop took WETH (the router ' +
      'wrapped it; tokenIn stays WETH). False for swaps indexed before the value was recorded',
  }),
  nativeOut: Type.Boolean({
    description:
      'The account received native ETH: the last hop paid WETH to the router, which unwrapped it ' +
      '(tokenOut stays WETH)',
  }),
})
const LiquidityEntry = Type.Object({
  kind: Type.Union([Type.Literal('mint'), Type.Literal('burn')]),
  txHash: Type.String(),
  blockNumber: Type.Integer(),
  logIndex: Type.Integer(),
  time: Type.String({ format: 'date-time' }),
  pool: Type.String(),
  amount0: Type.String(),
  amount1: Type.String(),
  liquidity: Type.String(),
})

/** What the portfolio page shows of one account: holdings valued in the quote token, and its history. */
export const accountDataRoutes: DexPlugin = async (app, deps) => {
  const client = publicClientFor(deps.chain.rpc)
  const { market, registry, chain, db } = deps

  app.get(
    '/v1/wallet/:address/portfolio',
    {
      schema: {
        summary: 'Balances of the listed tokens and LP positions, each valued in the quote token',
        tags: ['wallet'],
        params: AddressParam,
        response: {
          200: Type.Object({
            address: Type.String(),
            blockNumber: Type.String(),
            quoteToken: Type.Union([TokenRefSchema, Type.Null()]),
            native: Type.Object({ balance: Type.String(), value: Value }),
            tokens: Type.Array(
              Type.Object({ ...TokenRefSchema.properties, balance: Type.String(), value: Value }),
            ),
            positions: Type.Array(
              Type.Object({
                pool: Type.String(),
                token0: TokenRefSchema,
                token1: TokenRefSchema,
                liquidity: Type.String(),
                share: Type.String({ description: 'Percent of the pool' }),
                amount0: Type.String(),
                amount1: Type.String(),
                value: Value,
              }),
            ),
            totalValue: Type.String({ description: 'Sum of the priced values' }),
          }),
        },
      },
    },
    async (request) =>
      asProblem(async () => {
        const owner = parseAddress(request.params.address, '/address')
        const listed =
          chain.tokens.length > 0
            ? chain.tokens.map((t) => t.address)
            : registry.tokens().map((t) => t.address)
        const [balances, positions] = await Promise.all([
          readBalances(client, owner, listed),
          candidatePools({ registry, db, chain }, owner).then((pools) => readPositions(client, owner, pools)),
        ])
        const prices = market.prices()
        let total = 0n
        const valued = (token: string, amount: bigint) => {
          const value = valueInQuote(prices, token.toLowerCase(), amount)
          if (value !== null) total += value
          return value
        }
        const nativeValue = valued(chain.contracts.weth, balances.native)
        const tokens = balances.tokens.flatMap((t) =>
          t.balance === null
            ? []
            : [
                {
                  ...market.tokenRef(t.token.toLowerCase() as Address),
                  balance: t.balance.toString(),
                  value: valued(t.token, t.balance)?.toString() ?? null,
                },
              ],
        )
        const lp = positions.positions.map((p) => {
          const v0 = valueInQuote(prices, p.token0.toLowerCase(), p.amount0)
          const v1 = valueInQuote(prices, p.token1.toLowerCase(), p.amount1)
          const value =
            v0 !== null && v1 !== null ? v0 + v1 : v0 !== null ? 2n * v0 : v1 !== null ? 2n * v1 : null
          if (value !== null) total += value
          return {
            pool: p.pool,
            token0: market.tokenRef(p.token0.toLowerCase() as Address),
            token1: market.tokenRef(p.token1.toLowerCase() as Address),
            liquidity: p.liquidity.toString(),
            share: (Number(p.sharePpm) / 10_000).toFixed(4),
            amount0: p.amount0.toString(),
            amount1: p.amount1.toString(),
            value: value?.toString() ?? null,
          }
        })
        return {
          address: owner,
          blockNumber: balances.blockNumber.toString(),
          quoteToken: market.quoteToken ? market.tokenRef(market.quoteToken) : null,
          native: { balance: balances.native.toString(), value: nativeValue?.toString() ?? null },
          tokens,
          positions: lp,
          totalValue: total.toString(),
        }
      }),
  )

  app.get(
    '/v1/wallet/:address/history',
    {
      schema: {
        summary: "The account's swaps and liquidity changes, newest first",
        description:
          'A swap counts when the account sent its transaction or received its output, so swaps paid out in ' +
          'native ETH (the router receives and unwraps them) are listed, and a swap paid to a third party ' +
          "shows for both. The hops of a multi-hop swap are one entry: the first hop's input, the last " +
          "hop's output. `nativeIn`/`nativeOut` say when that WETH was native ETH the router wrapped or unwrapped.",
        tags: ['wallet'],
        params: AddressParam,
        querystring: Type.Object(
          {
            limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
            before: Type.Optional(
              Type.Integer({ minimum: 0, description: 'Only entries in blocks below this one' }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            address: Type.String(),
            activity: Type.Array(Type.Union([SwapEntry, LiquidityEntry])),
          }),
        },
      },
    },
    async (request) =>
      asProblem(async () => {
        const owner = parseAddress(request.params.address, '/address')
        const activity = await accountActivity(db.kysely, chain.contracts, owner, request.query)
        return {
          address: owner,
          activity: activity.map((a) =>
            a.kind === 'swap'
              ? { ...a, tokenIn: market.tokenRef(a.tokenIn), tokenOut: market.tokenRef(a.tokenOut) }
              : a,
          ),
        }
      }),
  )
}
