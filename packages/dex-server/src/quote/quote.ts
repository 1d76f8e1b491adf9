import { type Address, getAddress } from 'viem'
import type { PoolGraph } from '../router/graph.js'
import { bestExactIn, bestExactOut } from '../router/path-search.js'
import { type ImpactSeverity, impactSeverity, ppmToPercent, priceImpactPpm } from '../router/price-impact.js'
import { bestTradeExactIn, bestTradeExactOut, type TradeKind } from '../router/trade.js'
import { swapTx, type UnsignedTx } from './calldata.js'
import { GAS_APPROVE, swapGas } from './gas.js'
import { InputError } from './input-error.js'
import { bpsToPercent, maximumSold, minimumReceived, NATIVE, type TokenRef } from './request.js'

export interface QuoteRequest {
  tokenIn: TokenRef
  tokenOut: TokenRef
  kind: TradeKind
  /** amountIn for exactIn, amountOut for exactOut. */
  amount: bigint
  slippageBps: bigint
  deadline: bigint
  expert: boolean
  /**
   * Allow a two-route split. Its legs are two transactions (one may fill, the other revert), so
   * the API asks for it explicitly; it is taken only when it gains more than its second leg's gas.
   */
  split: boolean
  maxHops: number
  /** When set, the quote carries the signed-by-the-client transactions that execute it. */
  recipient?: Address
}

export interface QuoteContext {
  graph: PoolGraph
  router: Address
  weth: Address
  /** Current gas price: prices a split's second leg. Unknown = never split. */
  gasPriceWei?: bigint
}

export interface QuoteLeg {
  route: Address[]
  pools: Address[]
  amounts: bigint[]
  amountIn: bigint
  amountOut: bigint
  /** minimumReceived (exact in) or maximumSold (exact out) of this leg. */
  limit: bigint
  gasEstimate: bigint
}

export interface QuoteWarning {
  code: 'price_impact'
  severity: Exclude<ImpactSeverity, 'none'>
  message: string
}

export interface Quote {
  kind: TradeKind
  tokenIn: TokenRef
  tokenOut: TokenRef
  amountIn: bigint
  amountOut: bigint
  legs: QuoteLeg[]
  priceImpactPpm: bigint
  severity: ImpactSeverity
  warnings: QuoteWarning[]
  /** Sum of the legs' limits. */
  limit: bigint
  slippageBps: bigint
  gasEstimate: bigint
  deadline: bigint
  swaps: UnsignedTx[]
}

const checksummed = new Map<string, Address>()
function display(address: string): Address {
  let out = checksummed.get(address)
  if (!out) {
    out = getAddress(address)
    checksummed.set(address, out)
  }
  return out
}

function resolve(graph: PoolGraph, token: TokenRef, weth: Address, field: string): number {
  const id = graph.tokenId(token === NATIVE ? weth : token)
  if (id === undefined) throw new InputError(400, 'unknown_token', `no pool trades ${token}`, field)
  return id
}

/**
 * Prices a trade on the current pool graph: best route (or two-route split), price impact and its
 * warning tier, slippage limits, gas, and, given a recipient, the router calls that execute it.
 * Each leg's amounts are exactly what the router's getAmountsOut / getAmountsIn answer for its path.
 */
export function buildQuote(ctx: QuoteContext, req: QuoteRequest): Quote {
  const { graph } = ctx
  const same =
    (req.tokenIn === NATIVE ? ctx.weth : req.tokenIn).toLowerCase() ===
    (req.tokenOut === NATIVE ? ctx.weth : req.tokenOut).toLowerCase()
  if (same) throw new InputError(400, 'same_token', 'tokenIn and tokenOut are the same token', '/tokenOut')
  const tokenIn = resolve(graph, req.tokenIn, ctx.weth, '/tokenIn')
  const tokenOut = resolve(graph, req.tokenOut, ctx.weth, '/tokenOut')
  const splitGasCost = req.split
    ? splitGasCostIn(ctx, req.kind === 'exactIn' ? tokenOut : tokenIn)
    : undefined
  const options = { split: req.split, maxHops: req.maxHops, ...(splitGasCost ? { splitGasCost } : {}) }
  const trade =
    req.kind === 'exactIn'
      ? bestTradeExactIn(graph, tokenIn, tokenOut, req.amount, options)
      : bestTradeExactOut(graph, tokenIn, tokenOut, req.amount, options)
  if (!trade) throw noTrade(graph, tokenIn, tokenOut, req)

  const ppm = priceImpactPpm(trade)
  const severity = impactSeverity(ppm)
  if (severity === 'blocked' && !req.expert) {
    throw new InputError(
      422,
      'price_impact_too_high',
      `price impact ${ppmToPercent(ppm)}% is above 15%; pass expert=true to quote it anyway`,
    )
  }
  const native = req.tokenIn === NATIVE ? 'in' : req.tokenOut === NATIVE ? 'out' : undefined
  const legs = trade.legs.map((leg): QuoteLeg => {
    const amountIn = leg.amounts[0]!
    const amountOut = leg.amounts[leg.amounts.length - 1]!
    return {
      route: [leg.edges[0]!.from, ...leg.edges.map((e) => e.to)].map((t) => display(graph.tokens[t]!)),
      pools: leg.edges.map((e) => display(graph.pools[e.pool]!.address)),
      amounts: leg.amounts,
      amountIn,
      amountOut,
      limit:
        req.kind === 'exactIn'
          ? minimumReceived(amountOut, req.slippageBps)
          : maximumSold(amountIn, req.slippageBps),
      gasEstimate: swapGas(leg.edges.length, native),
    }
  })
  const swaps = req.recipient
    ? legs.map((leg) =>
        swapTx({
          router: ctx.router,
          kind: req.kind,
          native,
          path: leg.route,
          amountIn: leg.amountIn,
          amountOut: leg.amountOut,
          limit: leg.limit,
          to: req.recipient!,
          deadline: req.deadline,
        }),
      )
    : []
  return {
    kind: req.kind,
    tokenIn: req.tokenIn,
    tokenOut: req.tokenOut,
    amountIn: trade.amountIn,
    amountOut: trade.amountOut,
    legs,
    priceImpactPpm: ppm,
    severity,
    warnings: severity === 'none' ? [] : [impactWarning(ppm, severity)],
    limit: legs.reduce((sum, leg) => sum + leg.limit, 0n),
    slippageBps: req.slippageBps,
    gasEstimate: legs.reduce((sum, leg) => sum + leg.gasEstimate, 0n),
    deadline: req.deadline,
    swaps,
  }
}

/**
 * The gas of a split's extra leg in units of `token` (the one the split gains): gas × gas price in
 * wei, turned into `token` through the best route from WETH. Undefined when either is unknown.
 */
function splitGasCostIn(
  ctx: QuoteContext,
  token: number,
): ((hops: number) => bigint | undefined) | undefined {
  const { graph, gasPriceWei } = ctx
  const weth = graph.tokenId(ctx.weth)
  if (gasPriceWei === undefined || weth === undefined) return undefined
  return (hops) => {
    const wei = swapGas(hops, undefined) * gasPriceWei
    if (token === weth) return wei
    return bestExactIn(graph, weth, token, wei, { maxHops: 2 })?.amounts.at(-1)
  }
}

function impactWarning(ppm: bigint, severity: Exclude<ImpactSeverity, 'none'>): QuoteWarning {
  const text: Record<typeof severity, string> = {
    low: 'price impact above 1%',
    medium: 'price impact above 3%',
    high: 'price impact above 5%: you may lose a significant share of the trade',
    blocked: 'price impact above 15%: quoted only because expert mode is on',
  }
  return { code: 'price_impact', severity, message: `${text[severity]} (${ppmToPercent(ppm)}%)` }
}

/** Why no trade came out: tokens not connected within the hop limit, or pools too shallow. */
function noTrade(graph: PoolGraph, tokenIn: number, tokenOut: number, req: QuoteRequest): InputError {
  const reachable =
    req.kind === 'exactOut'
      ? bestExactOut(graph, tokenIn, tokenOut, 1n, { maxHops: req.maxHops })
      : bestExactIn(graph, tokenIn, tokenOut, 2n ** 111n, { maxHops: req.maxHops })
  if (reachable) {
    return req.kind === 'exactOut'
      ? new InputError(422, 'insufficient_liquidity', 'the pools cannot pay out that amount', '/amountOut')
      : new InputError(422, 'amount_too_small', 'the amount is too small to get any output', '/amountIn')
  }
  return new InputError(422, 'no_route', `no route within ${req.maxHops} hops`)
}

/** With the approval a swap needs first when the allowance is short. */
export function approvalNeeded(
  quote: Quote,
  allowance: bigint,
): { token: Address; amount: bigint; gasEstimate: bigint } | undefined {
  if (quote.tokenIn === NATIVE) return undefined
  const spend = quote.kind === 'exactIn' ? quote.amountIn : quote.limit
  return allowance >= spend ? undefined : { token: quote.tokenIn, amount: spend, gasEstimate: GAS_APPROVE }
}

/** The JSON the API answers: amounts as decimal strings, addresses EIP-55. */
export function quoteJson(quote: Quote) {
  const exactIn = quote.kind === 'exactIn'
  const limitKey = exactIn ? 'minimumReceived' : 'maximumSold'
  return {
    kind: quote.kind,
    tokenIn: quote.tokenIn,
    tokenOut: quote.tokenOut,
    amountIn: quote.amountIn.toString(),
    amountOut: quote.amountOut.toString(),
    route: quote.legs[0]!.route,
    pools: quote.legs[0]!.pools,
    split: quote.legs.length > 1,
    legs: quote.legs.map((leg) => ({
      route: leg.route,
      pools: leg.pools,
      amountIn: leg.amountIn.toString(),
      amountOut: leg.amountOut.toString(),
      amounts: leg.amounts.map(String),
      [limitKey]: leg.limit.toString(),
      gasEstimate: leg.gasEstimate.toString(),
    })),
    priceImpact: ppmToPercent(quote.priceImpactPpm),
    priceImpactSeverity: quote.severity,
    warnings: quote.warnings,
    [limitKey]: quote.limit.toString(),
    slippage: bpsToPercent(quote.slippageBps),
    gasEstimate: quote.gasEstimate.toString(),
    deadline: Number(quote.deadline),
  }
}
