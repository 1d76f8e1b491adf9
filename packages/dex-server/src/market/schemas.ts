import { Type } from '@sinclair/typebox'
import { INTERVAL_NAMES } from '../indexer/candles.js'

export const AddressSchema = Type.String({
  pattern: '^0x[0-9a-fA-F]{40}$',
  description: '20-byte hex address',
})
const Amount = Type.String({ pattern: '^[0-9]+$', description: 'Integer in base units' })
const Decimal = Type.String({ description: 'Decimal string' })
const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])

export const TokenRefSchema = Type.Object({
  address: Type.String(),
  symbol: Nullable(Type.String()),
  decimals: Nullable(Type.Integer()),
})

export const PoolSchema = Type.Object({
  address: Type.String(),
  tokens: Type.Array(TokenRefSchema, { minItems: 2, maxItems: 2 }),
  reserves: Type.Array(Amount, { minItems: 2, maxItems: 2 }),
  totalSupply: Amount,
  price: Type.String({ description: 'token1 per token0, whole units' }),
  tvl: Nullable(Type.String({ description: 'Quote-token base units' })),
  volume24h: Nullable(Type.String({ description: 'Quote-token base units' })),
  volume24hTokens: Type.Array(Amount, { minItems: 2, maxItems: 2 }),
  fees24h: Nullable(Type.String({ description: 'Quote-token base units' })),
  feeApr: Nullable(Type.String({ description: 'Fraction per year, e.g. 0.0523' })),
  swaps24h: Type.Integer(),
  updatedBlock: Type.Integer(),
})

export const TokenSchema = Type.Object({
  address: Type.String(),
  symbol: Nullable(Type.String()),
  name: Nullable(Type.String()),
  decimals: Nullable(Type.Integer()),
  price: Nullable(Type.String({ description: 'Quote-token base units per whole token' })),
  pools: Type.Integer(),
})

export const SwapSchema = Type.Object({
  pool: Type.String(),
  blockNumber: Type.Integer(),
  logIndex: Type.Integer(),
  txHash: Type.String(),
  time: Type.String({ format: 'date-time' }),
  sender: Type.String(),
  recipient: Type.String(),
  amount0In: Amount,
  amount1In: Amount,
  amount0Out: Amount,
  amount1Out: Amount,
  reserve0: Amount,
  reserve1: Amount,
  price: Decimal,
})

export const CandleSchema = Type.Object({
  time: Type.String({ format: 'date-time', description: 'Bucket start' }),
  open: Decimal,
  high: Decimal,
  low: Decimal,
  close: Decimal,
  volume0: Amount,
  volume1: Amount,
  volume0Tokens: Decimal,
  volume1Tokens: Decimal,
  trades: Type.Integer({ description: 'Swaps in the bucket (0 for a filled gap or a move without a trade)' }),
})

export const IntervalSchema = Type.Union(
  INTERVAL_NAMES.map((name) => Type.Literal(name)),
  { description: 'Candle interval' },
)
