import { useQuery } from '@tanstack/react-query'
import { api } from '../lib/api.js'
import type { PoolsReply, PriceChange, TokenRef } from '../lib/types.js'

interface ChangesReply {
  pools: Array<PriceChange & { pool: string }>
  tokens: Array<PriceChange & { token: string }>
}

/** 24 h price changes of pools and of tokens paired with the quote token (/v1/price-changes). */
export function usePriceChanges() {
  const changes = useQuery({
    queryKey: ['price-changes'],
    queryFn: () => api<ChangesReply>('/v1/price-changes'),
    refetchInterval: 30_000,
  })
  return {
    poolChange: (pool: string) => changes.data?.pools.find((c) => c.pool === pool.toLowerCase()) ?? null,
    tokenChange: (token: string) =>
      changes.data?.tokens.find((c) => c.token === token.toLowerCase())?.changePercent ?? null,
  }
}

/** Pools with their analytics and 24 h price changes, refreshed every 10 s. */
export function usePools() {
  const pools = useQuery({
    queryKey: ['pools'],
    queryFn: () => api<PoolsReply>('/v1/pools'),
    refetchInterval: 10_000,
  })
  const { poolChange } = usePriceChanges()
  return { data: pools.data, error: pools.error, changeOf: poolChange }
}

export const symbolOf = (t: TokenRef) => t.symbol ?? `${t.address.slice(0, 6)}…`
export const pairName = (tokens: [TokenRef, TokenRef]) => `${symbolOf(tokens[0])}/${symbolOf(tokens[1])}`
