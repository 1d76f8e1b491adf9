/** Shapes of the DEX API answers the app reads (see /docs for the OpenAPI schemas). */

export interface ChainInfo {
  chainId: number
  rpcUrl: string
  embedded: boolean
  walletConnectProjectId: string | null
  contracts: { factory: `0x${string}`; router: `0x${string}`; weth: `0x${string}` }
  tokens: Array<{ address: `0x${string}`; symbol: string; decimals: number }>
}

export interface TokenListToken {
  chainId: number
  address: `0x${string}`
  name: string
  symbol: string
  decimals: number
}

export interface TokenList {
  name: string
  tokens: TokenListToken[]
}

export interface TxRequest {
  to: `0x${string}`
  data: `0x${string}`
  value: string
}

export interface QuoteLeg {
  route: string[]
  pools: string[]
  amountIn: string
  amountOut: string
}

export type ImpactSeverity = 'none' | 'low' | 'medium' | 'high' | 'blocked'

export interface Quote {
  kind: 'exactIn' | 'exactOut'
  tokenIn: string
  tokenOut: string
  amountIn: string
  amountOut: string
  route: string[]
  pools: string[]
  split: boolean
  legs: QuoteLeg[]
  priceImpact: string
  priceImpactSeverity: ImpactSeverity
  warnings: Array<{ code: string; severity: string; message: string }>
  minimumReceived?: string
  maximumSold?: string
  slippage: string
  gasEstimate: string
  deadline: number
  /** The block the quote was priced at (the DEX hardening adds it; older servers send blockVersion only). */
  blockNumber?: number | string
  blockVersion: number
  transactions?: Array<{ kind: 'approve' | 'swap'; description: string; tx: TxRequest }>
}

export interface TokenRef {
  address: string
  symbol: string | null
  decimals: number | null
}

export interface Pool {
  address: string
  tokens: [TokenRef, TokenRef]
  reserves: [string, string]
  totalSupply: string
  price: string
  tvl: string | null
  volume24h: string | null
  fees24h: string | null
  feeApr: string | null
  swaps24h: number
}

export interface PoolsReply {
  quoteToken: TokenRef | null
  pools: Pool[]
}

export interface Swap {
  pool: string
  blockNumber: number
  logIndex: number
  txHash: string
  time: string
  recipient: string
  amount0In: string
  amount1In: string
  amount0Out: string
  amount1Out: string
  price: string
}

export interface Candle {
  time: string
  open: string
  high: string
  low: string
  close: string
  volume0: string
  volume1: string
}

export interface PriceChange {
  open: string
  close: string
  changePercent: string
}
