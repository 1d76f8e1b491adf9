import { useQuery } from '@tanstack/react-query'
import { api } from '../lib/api.js'
import type { TokenRef } from '../lib/types.js'

interface TokensReply {
  quoteToken: TokenRef | null
  tokens: Array<TokenRef & { name: string | null; price: string | null }>
}

/** Token prices in the quote token (USDC on the embedded chain), from /v1/tokens. */
export function useMarketPrices() {
  const { data } = useQuery({
    queryKey: ['tokens'],
    queryFn: () => api<TokensReply>('/v1/tokens'),
    refetchInterval: 30_000,
  })
  const quote = data?.quoteToken
  const priceOf = (address: string): { value: bigint; decimals: number; symbol: string } | null => {
    const row = data?.tokens.find((t) => t.address.toLowerCase() === address.toLowerCase())
    if (!row?.price || !quote || quote.decimals === null) return null
    return { value: BigInt(row.price), decimals: quote.decimals, symbol: quote.symbol ?? '' }
  }
  return { priceOf, tokens: data?.tokens ?? [], quoteToken: quote ?? null }
}
