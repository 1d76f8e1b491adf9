import { type Address, getAddress, isAddress } from 'viem'
import type { TokenListToken } from '../lib/types.js'

/** What can be traded: native ETH (through the router's ETH paths) or an ERC-20. */
export type Currency =
  | { kind: 'native'; symbol: 'ETH'; name: 'Ether'; decimals: 18 }
  | { kind: 'token'; address: Address; symbol: string; name: string; decimals: number; listed: boolean }

export const ETH: Currency = { kind: 'native', symbol: 'ETH', name: 'Ether', decimals: 18 }

/** The API's token parameter: "ETH" or the address. */
export const apiId = (c: Currency) => (c.kind === 'native' ? 'ETH' : c.address)

/** The URL parameter: ETH, the symbol of a listed token, or the address of an imported one. */
export const urlId = (c: Currency) => (c.kind === 'native' ? 'ETH' : c.listed ? c.symbol : c.address)

export const sameCurrency = (a: Currency | null, b: Currency | null) =>
  a !== null && b !== null && apiId(a).toLowerCase() === apiId(b).toLowerCase()

export function fromListToken(t: TokenListToken, listed = true): Currency {
  return {
    kind: 'token',
    address: getAddress(t.address),
    symbol: t.symbol,
    name: t.name,
    decimals: t.decimals,
    listed,
  }
}

/**
 * A Uniswap-style URL value to a currency: "ETH", a listed symbol (case-insensitive), or an address
 * (listed or imported). An unknown address resolves to null here; the page offers to import it.
 */
export function resolveCurrency(value: string | null, tokens: readonly Currency[]): Currency | null {
  if (value === null || value === '') return null
  if (value.toUpperCase() === 'ETH') return ETH
  if (isAddress(value, { strict: false })) {
    return tokens.find((t) => t.kind === 'token' && t.address.toLowerCase() === value.toLowerCase()) ?? null
  }
  return (
    tokens.find((t) => t.kind === 'token' && t.listed && t.symbol.toLowerCase() === value.toLowerCase()) ??
    null
  )
}

export function searchCurrencies(query: string, tokens: readonly Currency[]): Currency[] {
  const q = query.trim().toLowerCase()
  if (q === '') return [...tokens]
  return tokens.filter(
    (t) =>
      t.symbol.toLowerCase().includes(q) ||
      t.name.toLowerCase().includes(q) ||
      (t.kind === 'token' && t.address.toLowerCase() === q),
  )
}
