import type { Cache } from '@platform/service-kit/cache'
import type { App } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { Kysely } from 'kysely'
import type { Address, Hash } from 'viem'
import type { DexDatabase } from '../db/schema.js'
import { InputError } from '../quote/input-error.js'
import { asProblem } from '../quote/problem.js'
import { parseAddress } from '../quote/request.js'
import type { PoolSource } from '../router/graph-source.js'
import { readAllowances, readBalances } from './balances.js'
import { type Eip1193Like, publicClientFor } from './chain-client.js'
import { type PoolRef, readPositions } from './positions.js'
import { readTxStatus, type SeenTransactions } from './tx-status.js'

export interface WalletDeps {
  registry: PoolSource & {
    tokens(): ReadonlyArray<{ address: Address; symbol: string | null; decimals: number | null }>
  }
  chain: { rpc: Eip1193Like; contracts: { router: Address } }
  /** The indexer's database: its LP transfers narrow the pools a position can be in. */
  db?: { kysely: Kysely<DexDatabase> }
  /** Remembers pending transactions' sender and nonce so replacements are recognised later. */
  cache?: Cache
}

const AddressParam = Type.Object({ address: Type.String({ description: 'Wallet address', maxLength: 42 }) })
const TokenList = Type.Optional(
  Type.String({
    description: 'Comma-separated token addresses (default: every indexed token)',
    maxLength: 8_600,
  }),
)
const Amount = Type.Union([Type.String(), Type.Null()], {
  description: 'Base units; null if the token did not answer',
})

const SEEN_TTL_MS = 7 * 24 * 60 * 60 * 1000

function seenIn(cache: Cache | undefined): SeenTransactions | undefined {
  if (!cache) return undefined
  return {
    get: (hash) => cache.get(`dex:tx-seen:${hash.toLowerCase()}`),
    remember: async (hash, tx) => {
      await cache.set(`dex:tx-seen:${hash.toLowerCase()}`, tx, { ttlMs: SEEN_TTL_MS })
    },
  }
}

/** Balances, allowances, LP positions and transaction status: all read live from the chain. */
export async function walletRoutes(app: App, deps: WalletDeps): Promise<void> {
  const client = publicClientFor(deps.chain.rpc)
  const seen = seenIn(deps.cache)

  const tokensOf = (list: string | undefined): Address[] => {
    if (list === undefined || list === '') return deps.registry.tokens().map((t) => t.address)
    const tokens = list.split(',').map((t, i) => parseAddress(t.trim(), `/tokens/${i}`))
    if (tokens.length > 200)
      throw new InputError(400, 'too_many_tokens', 'at most 200 tokens per request', '/tokens')
    return tokens
  }
  const meta = () => new Map(deps.registry.tokens().map((t) => [t.address.toLowerCase(), t]))

  app.get(
    '/v1/wallet/:address/balances',
    {
      schema: {
        summary: 'Native and token balances of a wallet',
        tags: ['wallet'],
        params: AddressParam,
        querystring: Type.Object({ tokens: TokenList }),
        response: {
          200: Type.Object({
            address: Type.String(),
            blockNumber: Type.String(),
            native: Type.String(),
            tokens: Type.Array(
              Type.Object({
                token: Type.String(),
                symbol: Type.Union([Type.String(), Type.Null()]),
                decimals: Type.Union([Type.Integer(), Type.Null()]),
                balance: Amount,
              }),
            ),
          }),
        },
      },
    },
    async (request) =>
      asProblem(async () => {
        const owner = parseAddress(request.params.address, '/address')
        const tokens = tokensOf(request.query.tokens)
        const read = await readBalances(client, owner, tokens)
        const info = meta()
        return {
          address: owner,
          blockNumber: read.blockNumber.toString(),
          native: read.native.toString(),
          tokens: read.tokens.map((t) => ({
            token: t.token,
            symbol: info.get(t.token.toLowerCase())?.symbol ?? null,
            decimals: info.get(t.token.toLowerCase())?.decimals ?? null,
            balance: t.balance === null ? null : t.balance.toString(),
          })),
        }
      }),
  )

  app.get(
    '/v1/wallet/:address/allowances',
    {
      schema: {
        summary: 'Token allowances of a wallet towards a spender (default: the DEX router)',
        tags: ['wallet'],
        params: AddressParam,
        querystring: Type.Object({
          tokens: TokenList,
          spender: Type.Optional(Type.String({ maxLength: 42 })),
        }),
        response: {
          200: Type.Object({
            address: Type.String(),
            spender: Type.String(),
            blockNumber: Type.String(),
            allowances: Type.Array(Type.Object({ token: Type.String(), allowance: Amount })),
          }),
        },
      },
    },
    async (request) =>
      asProblem(async () => {
        const owner = parseAddress(request.params.address, '/address')
        const spender =
          request.query.spender === undefined
            ? deps.chain.contracts.router
            : parseAddress(request.query.spender, '/spender')
        const read = await readAllowances(client, owner, spender, tokensOf(request.query.tokens))
        return {
          address: owner,
          spender,
          blockNumber: read.blockNumber.toString(),
          allowances: read.allowances.map((a) => ({
            token: a.token,
            allowance: a.allowance === null ? null : a.allowance.toString(),
          })),
        }
      }),
  )

  app.get(
    '/v1/wallet/:address/positions',
    {
      schema: {
        summary: 'LP positions: liquidity, pool share and underlying amounts',
        tags: ['wallet'],
        params: AddressParam,
        response: {
          200: Type.Object({
            address: Type.String(),
            blockNumber: Type.String(),
            positions: Type.Array(
              Type.Object({
                pool: Type.String(),
                token0: Type.String(),
                token1: Type.String(),
                liquidity: Type.String(),
                totalSupply: Type.String(),
                share: Type.String({ description: 'Percent of the pool' }),
                amount0: Type.String(),
                amount1: Type.String(),
              }),
            ),
          }),
        },
      },
    },
    async (request) =>
      asProblem(async () => {
        const owner = parseAddress(request.params.address, '/address')
        const pools = await candidatePools(deps, owner)
        const read = await readPositions(client, owner, pools)
        return {
          address: owner,
          blockNumber: read.blockNumber.toString(),
          positions: read.positions.map((p) => ({
            pool: p.pool,
            token0: p.token0,
            token1: p.token1,
            liquidity: p.liquidity.toString(),
            totalSupply: p.totalSupply.toString(),
            share: (Number(p.sharePpm) / 10_000).toFixed(4),
            amount0: p.amount0.toString(),
            amount1: p.amount1.toString(),
          })),
        }
      }),
  )

  app.get(
    '/v1/tx/:hash',
    {
      schema: {
        summary: 'Transaction status: pending, confirmed, failed, replaced (or unknown)',
        tags: ['wallet'],
        params: Type.Object({ hash: Type.String({ pattern: '^0x[0-9a-fA-F]{64}$' }) }),
        querystring: Type.Object({
          from: Type.Optional(
            Type.String({ maxLength: 42, description: 'Sender, to judge a dropped transaction' }),
          ),
          nonce: Type.Optional(Type.Integer({ minimum: 0, description: 'Its nonce, with from' })),
        }),
        response: {
          200: Type.Object({
            hash: Type.String(),
            status: Type.String(),
            from: Type.Optional(Type.String()),
            nonce: Type.Optional(Type.Integer()),
            blockNumber: Type.Optional(Type.String()),
            confirmations: Type.Optional(Type.String()),
            gasUsed: Type.Optional(Type.String()),
            replacedBy: Type.Optional(Type.String()),
            replacement: Type.Optional(Type.String()),
          }),
        },
      },
    },
    async (request) =>
      asProblem(async () => {
        const { from, nonce } = request.query
        if ((from === undefined) !== (nonce === undefined)) {
          throw new InputError(
            400,
            'hint_incomplete',
            'give both from and nonce, or neither',
            from ? '/nonce' : '/from',
          )
        }
        const hint = from === undefined ? undefined : { from: parseAddress(from, '/from'), nonce: nonce! }
        const status = await readTxStatus(client, request.params.hash as Hash, { seen, hint })
        return {
          ...status,
          blockNumber: status.blockNumber?.toString(),
          confirmations: status.confirmations?.toString(),
          gasUsed: status.gasUsed?.toString(),
        }
      }),
  )
}

/** Pools the owner ever received LP tokens in, per the indexer; every pool when there is no index. */
export async function candidatePools(deps: WalletDeps, owner: Address): Promise<PoolRef[]> {
  const pools = deps.registry.pools()
  if (!deps.db) return pools.map(({ address, token0, token1 }) => ({ address, token0, token1 }))
  const rows = await deps.db.kysely
    .selectFrom('lp_transfers')
    .select('pool')
    .distinct()
    .where('to_address', '=', owner.toLowerCase())
    .execute()
  const held = new Set(rows.map((r) => String(r.pool).toLowerCase()))
  return pools
    .filter((p) => held.has(p.address.toLowerCase()))
    .map(({ address, token0, token1 }) => ({ address, token0, token1 }))
}
