import type { App } from '@platform/service-kit/http'
import { type Static, Type } from '@sinclair/typebox'
import { type Address, erc20Abi, type PublicClient } from 'viem'
import { GraphCache, type PoolSource } from '../router/graph-source.js'
import { type Eip1193Like, publicClientFor } from '../wallet/chain-client.js'
import { addLiquidityTx, approveTx, removeLiquidityTx, txJson, type UnsignedTx } from './calldata.js'
import { DEFAULT_MAX_LAG_BLOCKS, freshBlock, type IndexProgress } from './freshness.js'
import { GAS_APPROVE } from './gas.js'
import { InputError } from './input-error.js'
import { planAddLiquidity, planRemoveLiquidity } from './liquidity.js'
import { asProblem } from './problem.js'
import { approvalNeeded, buildQuote, quoteJson } from './quote.js'
import {
  NATIVE,
  parseAddress,
  parseAmount,
  parseDeadline,
  parseSlippage,
  parseToken,
  type TokenRef,
} from './request.js'

/** What the quote routes need from the app's shared deps (DexDeps fits). */
export interface QuoteDeps {
  registry: PoolSource
  chain: { chainId: number; rpc: Eip1193Like; contracts: { router: Address; weth: Address } }
  /** The index behind `registry`: quotes name its block and are refused while it lags the head. */
  indexer?: IndexProgress
  config?: { QUOTE_MAX_LAG_BLOCKS?: number }
  /** Unix seconds; tests pin it. */
  now?: () => bigint
}

/** The gas price is read at most this often (it prices a split's second leg). */
const GAS_PRICE_TTL_MS = 5_000

const Str = (description: string, maxLength = 100) => Type.String({ description, maxLength })
const TxSchema = Type.Object({ to: Type.String(), data: Type.String(), value: Type.String() })
const Tx = Type.Object({
  kind: Type.Union([
    Type.Literal('approve'),
    Type.Literal('swap'),
    Type.Literal('addLiquidity'),
    Type.Literal('removeLiquidity'),
  ]),
  description: Type.String(),
  tx: TxSchema,
})

const QuoteQuery = Type.Object(
  {
    tokenIn: Str('Token address sold, or "ETH"'),
    tokenOut: Str('Token address bought, or "ETH"'),
    amountIn: Type.Optional(Str('Exact input in base units (integer string)')),
    amountOut: Type.Optional(Str('Exact output in base units (integer string)')),
    slippage: Type.Optional(Str('Slippage tolerance in percent, 0.01 to 50 (default 0.5)', 10)),
    deadline: Type.Optional(Str('Unix seconds; default now + 20 min', 20)),
    expert: Type.Optional(Type.Boolean({ description: 'Allow quotes above 15% price impact' })),
    split: Type.Optional(
      Type.Boolean({
        description:
          'Allow a split across two routes (default false): two transactions, not atomic; taken only when it gains more than the second leg’s gas',
      }),
    ),
    maxHops: Type.Optional(Type.Integer({ minimum: 1, maximum: 3, description: 'Default 3' })),
    recipient: Type.Optional(Str('Receiver; when set, the answer carries the router calldata')),
    account: Type.Optional(Str('Sender whose allowance is checked (default: recipient)')),
  },
  { additionalProperties: false },
)

const LegSchema = Type.Object({
  route: Type.Array(Type.String()),
  pools: Type.Array(Type.String()),
  amountIn: Type.String(),
  amountOut: Type.String(),
  amounts: Type.Array(Type.String()),
  minimumReceived: Type.Optional(Type.String()),
  maximumSold: Type.Optional(Type.String()),
  gasEstimate: Type.String(),
})

const QuoteReply = Type.Object({
  kind: Type.Union([Type.Literal('exactIn'), Type.Literal('exactOut')]),
  tokenIn: Type.String(),
  tokenOut: Type.String(),
  amountIn: Type.String(),
  amountOut: Type.String(),
  route: Type.Array(Type.String(), { description: 'Token path of the (first) route' }),
  pools: Type.Array(Type.String()),
  split: Type.Boolean(),
  legs: Type.Array(LegSchema),
  priceImpact: Type.String({ description: 'Percent against the mid price, LP fee excluded' }),
  priceImpactSeverity: Type.String(),
  warnings: Type.Array(Type.Object({ code: Type.String(), severity: Type.String(), message: Type.String() })),
  minimumReceived: Type.Optional(Type.String()),
  maximumSold: Type.Optional(Type.String()),
  slippage: Type.String(),
  gasEstimate: Type.String(),
  gasSource: Type.Union([Type.Literal('eth_estimateGas'), Type.Literal('table')], {
    description:
      'eth_estimateGas on the built transactions (recipient given, allowance in place), else a per-hop table',
  }),
  deadline: Type.Integer(),
  blockNumber: Type.Optional(
    Type.Integer({ description: 'Block the quote was priced at: it equals getAmountsOut at that block' }),
  ),
  blockVersion: Type.Integer({ description: 'Pool graph version the quote was priced on' }),
  transactions: Type.Optional(Type.Array(Tx)),
})

const LiquidityQuery = Type.Object(
  {
    tokenA: Str('Token address, or "ETH"'),
    tokenB: Str('Token address, or "ETH"'),
    amountA: Type.Optional(Str('Desired amount of A in base units')),
    amountB: Type.Optional(Str('Desired amount of B (optional for an existing pool)')),
    liquidity: Type.Optional(Str('LP tokens to burn (remove)')),
    slippage: Type.Optional(Str('Percent, default 0.5', 10)),
    deadline: Type.Optional(Str('Unix seconds; default now + 20 min', 20)),
    recipient: Type.Optional(Str('Receiver; when set, the answer carries the router calldata')),
    account: Type.Optional(Str('Sender whose allowances are checked (default: recipient)')),
  },
  { additionalProperties: false },
)

const LiquidityReply = Type.Object({
  pool: Type.Union([Type.String(), Type.Null()]),
  tokenA: Type.String(),
  tokenB: Type.String(),
  amountA: Type.String(),
  amountB: Type.String(),
  amountAMin: Type.String(),
  amountBMin: Type.String(),
  liquidity: Type.String(),
  poolShare: Type.Optional(Type.String({ description: 'Percent of the pool after the deposit' })),
  deadline: Type.Integer(),
  transactions: Type.Optional(Type.Array(Tx)),
})

/**
 * GET /v1/quote (exact in or out, split, impact, limits, gas, deadline, calldata) and the
 * liquidity builders GET /v1/liquidity/add and /v1/liquidity/remove.
 */
export async function quoteRoutes(app: App, deps: QuoteDeps): Promise<void> {
  const graphs = new GraphCache(deps.registry)
  const client = publicClientFor(deps.chain.rpc)
  const { router, weth } = deps.chain.contracts
  const now = deps.now ?? (() => BigInt(Math.floor(Date.now() / 1000)))
  const maxLag = deps.config?.QUOTE_MAX_LAG_BLOCKS ?? DEFAULT_MAX_LAG_BLOCKS
  let gasPrice: { wei: bigint; at: number } | undefined
  const currentGasPrice = async (): Promise<bigint | undefined> => {
    if (!gasPrice || Date.now() - gasPrice.at > GAS_PRICE_TTL_MS) {
      const wei = await client.getGasPrice().catch(() => undefined)
      if (wei === undefined) return gasPrice?.wei
      gasPrice = { wei, at: Date.now() }
    }
    return gasPrice.wei
  }

  app.get(
    '/v1/quote',
    {
      schema: {
        summary: 'Best route and price for a swap (exact input or exact output), with calldata',
        tags: ['quote'],
        querystring: QuoteQuery,
        response: { 200: QuoteReply },
      },
    },
    async (request) =>
      asProblem(async () => {
        const q = request.query
        if ((q.amountIn === undefined) === (q.amountOut === undefined)) {
          throw new InputError(
            400,
            'amount_required',
            'give exactly one of amountIn and amountOut',
            '/amountIn',
          )
        }
        const exactIn = q.amountIn !== undefined
        const recipient = q.recipient === undefined ? undefined : parseAddress(q.recipient, '/recipient')
        const account = q.account === undefined ? recipient : parseAddress(q.account, '/account')
        const gasPriceWei = q.split ? await currentGasPrice() : undefined
        // Read together, with no await between: the graph holds the reserves of exactly this block.
        const blockNumber = deps.indexer ? freshBlock(deps.indexer, maxLag) : undefined
        const version = graphs.version
        const quote = buildQuote(
          { graph: graphs.graph(), router, weth, ...(gasPriceWei === undefined ? {} : { gasPriceWei }) },
          {
            tokenIn: parseToken(q.tokenIn, '/tokenIn'),
            tokenOut: parseToken(q.tokenOut, '/tokenOut'),
            kind: exactIn ? 'exactIn' : 'exactOut',
            amount: exactIn ? parseAmount(q.amountIn!, '/amountIn') : parseAmount(q.amountOut!, '/amountOut'),
            slippageBps: parseSlippage(q.slippage),
            deadline: parseDeadline(q.deadline, now()),
            expert: q.expert ?? false,
            split: q.split ?? false,
            maxHops: q.maxHops ?? 3,
            recipient,
          },
        )
        const body = {
          ...quoteJson(quote),
          gasSource: 'table' as 'table' | 'eth_estimateGas',
          ...(blockNumber === undefined ? {} : { blockNumber }),
          blockVersion: version,
        }
        if (!recipient) return body
        const transactions: Array<{
          kind: 'approve' | 'swap'
          description: string
          tx: ReturnType<typeof txJson>
        }> = []
        const approval =
          account && approvalNeeded(quote, await allowance(client, quote.tokenIn, account, router))
        if (approval) {
          transactions.push({
            kind: 'approve',
            description: `approve the router to spend ${approval.amount} of ${approval.token}`,
            tx: txJson(approveTx(approval.token, router, approval.amount)),
          })
          body.gasEstimate = (BigInt(body.gasEstimate) + GAS_APPROVE).toString()
        }
        for (const [i, tx] of quote.swaps.entries()) {
          transactions.push({
            kind: 'swap',
            description: `swap leg ${i + 1} of ${quote.swaps.length}`,
            tx: txJson(tx),
          })
        }
        // Before the approval is mined the swap cannot be simulated; the table stands in.
        const estimated = account && !approval ? await estimateSwaps(client, account, quote.swaps) : undefined
        if (estimated) {
          body.gasEstimate = estimated.toString()
          body.gasSource = 'eth_estimateGas'
        }
        return { ...body, transactions }
      }),
  )

  app.get(
    '/v1/liquidity/add',
    {
      schema: {
        summary: 'Plan an addLiquidity: fitted amounts, minimums, LP minted, calldata',
        tags: ['quote'],
        querystring: LiquidityQuery,
        response: { 200: LiquidityReply },
      },
    },
    async (request) =>
      asProblem(async () => {
        const q = request.query
        const { a, b, native } = pairOf(q.tokenA, q.tokenB, weth)
        if (q.amountA === undefined)
          throw new InputError(400, 'amount_required', 'amountA is required', '/amountA')
        const amountA = parseAmount(q.amountA, '/amountA')
        const amountB = q.amountB === undefined ? undefined : parseAmount(q.amountB, '/amountB')
        const slippageBps = parseSlippage(q.slippage)
        const deadline = parseDeadline(q.deadline, now())
        const plan = planAddLiquidity(graphs.graph(), a, b, amountA, amountB, slippageBps)
        const reply = {
          pool: plan.pool?.address ?? null,
          tokenA: a,
          tokenB: b,
          amountA: plan.amountA.toString(),
          amountB: plan.amountB.toString(),
          amountAMin: plan.amountAMin.toString(),
          amountBMin: plan.amountBMin.toString(),
          liquidity: plan.liquidity.toString(),
          poolShare: (Number(plan.shareAfterPpm) / 10_000).toFixed(4),
          deadline: Number(deadline),
        }
        const recipient = q.recipient === undefined ? undefined : parseAddress(q.recipient, '/recipient')
        if (!recipient) return reply
        const account = q.account === undefined ? recipient : parseAddress(q.account, '/account')
        const transactions: Array<Static<typeof Tx>> = []
        for (const [token, amount, side] of [
          [a, plan.amountA, 'A'],
          [b, plan.amountB, 'B'],
        ] as const) {
          if (native === side) continue
          if ((await allowance(client, token, account, router)) < amount) {
            transactions.push({
              kind: 'approve',
              description: `approve ${token}`,
              tx: txJson(approveTx(token, router, amount)),
            })
          }
        }
        const tx = addLiquidityTx({ router, tokenA: a, tokenB: b, ...plan, native, to: recipient, deadline })
        transactions.push({ kind: 'addLiquidity', description: 'add liquidity', tx: txJson(tx) })
        return { ...reply, transactions }
      }),
  )

  app.get(
    '/v1/liquidity/remove',
    {
      schema: {
        summary: 'Plan a removeLiquidity: amounts paid out, minimums, calldata',
        tags: ['quote'],
        querystring: LiquidityQuery,
        response: { 200: LiquidityReply },
      },
    },
    async (request) =>
      asProblem(async () => {
        const q = request.query
        const { a, b, native } = pairOf(q.tokenA, q.tokenB, weth)
        if (q.liquidity === undefined)
          throw new InputError(400, 'amount_required', 'liquidity is required', '/liquidity')
        const liquidity = parseAmount(q.liquidity, '/liquidity')
        const slippageBps = parseSlippage(q.slippage)
        const deadline = parseDeadline(q.deadline, now())
        const plan = planRemoveLiquidity(graphs.graph(), a, b, liquidity, slippageBps)
        const reply = {
          pool: plan.pool.address,
          tokenA: a,
          tokenB: b,
          amountA: plan.amountA.toString(),
          amountB: plan.amountB.toString(),
          amountAMin: plan.amountAMin.toString(),
          amountBMin: plan.amountBMin.toString(),
          liquidity: liquidity.toString(),
          deadline: Number(deadline),
        }
        const recipient = q.recipient === undefined ? undefined : parseAddress(q.recipient, '/recipient')
        if (!recipient) return reply
        const account = q.account === undefined ? recipient : parseAddress(q.account, '/account')
        const transactions: Array<Static<typeof Tx>> = []
        if ((await allowance(client, plan.pool.address, account, router)) < liquidity) {
          const tx = approveTx(plan.pool.address, router, liquidity)
          transactions.push({
            kind: 'approve',
            description: 'approve the router to take the LP tokens',
            tx: txJson(tx),
          })
        }
        const tx: UnsignedTx = removeLiquidityTx({
          router,
          tokenA: a,
          tokenB: b,
          liquidity,
          ...plan,
          native,
          to: recipient,
          deadline,
        })
        transactions.push({ kind: 'removeLiquidity', description: 'remove liquidity', tx: txJson(tx) })
        return { ...reply, transactions }
      }),
  )
}

function pairOf(
  tokenA: string,
  tokenB: string,
  weth: Address,
): { a: Address; b: Address; native?: 'A' | 'B' } {
  const refA: TokenRef = parseToken(tokenA, '/tokenA')
  const refB: TokenRef = parseToken(tokenB, '/tokenB')
  const a = refA === NATIVE ? weth : refA
  const b = refB === NATIVE ? weth : refB
  if (a.toLowerCase() === b.toLowerCase())
    throw new InputError(400, 'same_token', 'tokenA and tokenB are the same', '/tokenB')
  return { a, b, native: refA === NATIVE ? 'A' : refB === NATIVE ? 'B' : undefined }
}

async function allowance(
  client: PublicClient,
  token: TokenRef,
  owner: Address,
  spender: Address,
): Promise<bigint> {
  if (token === NATIVE) return 2n ** 256n - 1n
  return client.readContract({
    address: token,
    abi: erc20Abi,
    functionName: 'allowance',
    args: [owner, spender],
  })
}

/** eth_estimateGas of every swap as `account` would send it, summed; undefined when one fails. */
async function estimateSwaps(
  client: PublicClient,
  account: Address,
  swaps: readonly UnsignedTx[],
): Promise<bigint | undefined> {
  try {
    const gas = await Promise.all(
      swaps.map((tx) => client.estimateGas({ account, to: tx.to, data: tx.data, value: tx.value })),
    )
    return gas.reduce((sum, g) => sum + g, 0n)
  } catch {
    return undefined // e.g. the balance is short: the wallet will say so when it estimates
  }
}
