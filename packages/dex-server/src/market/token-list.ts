import { getAddress } from 'viem'

/** One entry of a token list, as the Uniswap token-list JSON schema (tokenlists.org) defines it. */
export interface TokenListEntry {
  chainId: number
  address: string
  name: string
  symbol: string
  decimals: number
}

export interface TokenList {
  name: string
  timestamp: string
  version: { major: number; minor: number; patch: number }
  keywords: string[]
  tokens: TokenListEntry[]
}

export interface ListCandidate {
  address: string
  symbol: string | null
  name: string | null
  decimals: number | null
}

// The schema's own limits: a list validator (and the Uniswap interface) rejects entries outside them.
const SYMBOL = /^[a-zA-Z0-9+\-%/$.]{1,20}$/
const NAME = /^[ \w.'+\-%/À-ÖØ-öø-ÿ:&[\]()]{1,60}$/
const MAX_TOKENS = 10_000

/**
 * The deployment's tokens as a Uniswap token list. Only tokens whose metadata fits the schema are
 * listed (a hostile token with a 200-character symbol is left for import-by-address, with its
 * warning); the version follows the schema's rule of thumb: minor counts the tokens added.
 */
export function buildTokenList(
  chainId: number,
  candidates: readonly ListCandidate[],
  now: Date = new Date(),
): TokenList {
  const seen = new Set<string>()
  const tokens: TokenListEntry[] = []
  for (const t of candidates) {
    const address = t.address.toLowerCase()
    if (seen.has(address) || tokens.length >= MAX_TOKENS) continue
    if (t.symbol === null || t.decimals === null || !SYMBOL.test(t.symbol)) continue
    if (!Number.isInteger(t.decimals) || t.decimals < 0 || t.decimals > 255) continue
    const name = t.name !== null && NAME.test(t.name) ? t.name : t.symbol
    seen.add(address)
    tokens.push({ chainId, address: getAddress(address), name, symbol: t.symbol, decimals: t.decimals })
  }
  tokens.sort((a, b) => a.symbol.localeCompare(b.symbol) || a.address.localeCompare(b.address))
  return {
    name: 'Soba DEX',
    timestamp: now.toISOString(),
    version: { major: 1, minor: tokens.length, patch: 0 },
    keywords: ['soba', 'default'],
    tokens,
  }
}
