import { type Address, getAddress, isAddress } from 'viem'
import { InputError } from './input-error.js'

/** Uniswap v2 reserves are uint112: no amount at or beyond that can be swapped or held by a pool. */
export const MAX_AMOUNT = 2n ** 112n - 1n
export const DEFAULT_SLIPPAGE_BPS = 50n
export const MAX_SLIPPAGE_BPS = 5_000n
export const DEFAULT_DEADLINE_SECONDS = 20n * 60n
export const MAX_DEADLINE_SECONDS = 30n * 24n * 60n * 60n

export const NATIVE = 'ETH'
export type TokenRef = Address | typeof NATIVE

/** A token address (any case, but a mixed-case one must carry a valid EIP-55 checksum) or "ETH". */
export function parseToken(value: string, field: string): TokenRef {
  if (value.toUpperCase() === NATIVE) return NATIVE
  if (!isAddress(value, { strict: true })) {
    throw new InputError(400, 'invalid_address', `${field} is not a valid address (or "ETH")`, field)
  }
  return getAddress(value)
}

export function parseAddress(value: string, field: string): Address {
  if (!isAddress(value, { strict: true }))
    throw new InputError(400, 'invalid_address', `${field} is not a valid address`, field)
  return getAddress(value)
}

/** A positive integer amount in base units, as a decimal string, below 2^112. */
export function parseAmount(value: string, field: string): bigint {
  if (!/^[0-9]+$/.test(value)) {
    throw new InputError(400, 'invalid_amount', `${field} must be a positive integer in base units`, field)
  }
  const amount = BigInt(value)
  if (amount === 0n) throw new InputError(400, 'amount_zero', `${field} must be greater than zero`, field)
  if (amount > MAX_AMOUNT) {
    throw new InputError(
      400,
      'amount_overflow',
      `${field} exceeds 2^112 - 1, the largest amount a v2 pool holds`,
      field,
    )
  }
  return amount
}

/** Slippage tolerance as a percent ("0.5" = 0.5%, at most two decimals), 0.01% to 50%. */
export function parseSlippage(value: string | undefined, field = '/slippage'): bigint {
  if (value === undefined) return DEFAULT_SLIPPAGE_BPS
  const match = /^([0-9]{1,3})(?:\.([0-9]{1,2}))?$/.exec(value)
  if (!match)
    throw new InputError(
      400,
      'invalid_slippage',
      'slippage is a percent with at most two decimals, e.g. 0.5',
      field,
    )
  const bps = BigInt(match[1]!) * 100n + BigInt((match[2] ?? '').padEnd(2, '0'))
  if (bps < 1n || bps > MAX_SLIPPAGE_BPS) {
    throw new InputError(
      400,
      'slippage_out_of_range',
      'slippage must be between 0.01 and 50 (percent)',
      field,
    )
  }
  return bps
}

/** Unix seconds; in the future and at most 30 days ahead. Default: 20 minutes from now. */
export function parseDeadline(value: string | undefined, nowSeconds: bigint, field = '/deadline'): bigint {
  if (value === undefined) return nowSeconds + DEFAULT_DEADLINE_SECONDS
  if (!/^[0-9]{1,12}$/.test(value))
    throw new InputError(400, 'invalid_deadline', 'deadline is a unix time in seconds', field)
  const deadline = BigInt(value)
  if (deadline <= nowSeconds) throw new InputError(400, 'deadline_expired', 'deadline is in the past', field)
  if (deadline > nowSeconds + MAX_DEADLINE_SECONDS) {
    throw new InputError(400, 'deadline_out_of_range', 'deadline is more than 30 days ahead', field)
  }
  return deadline
}

/** Worst output accepted for an exact input: floor(amount · (1 − slippage)). */
export function minimumReceived(amountOut: bigint, slippageBps: bigint): bigint {
  return (amountOut * (10_000n - slippageBps)) / 10_000n
}

/** Worst input accepted for an exact output: ceil(amount · (1 + slippage)). */
export function maximumSold(amountIn: bigint, slippageBps: bigint): bigint {
  return (amountIn * (10_000n + slippageBps) + 9_999n) / 10_000n
}

export function bpsToPercent(bps: bigint): string {
  const frac = (bps % 100n).toString().padStart(2, '0').replace(/0+$/, '')
  return frac ? `${bps / 100n}.${frac}` : `${bps / 100n}`
}
