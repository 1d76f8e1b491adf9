import { useQuery } from '@tanstack/react-query'
import { api, query } from '../lib/api.js'
import type { Currency } from './currency.js'

interface BalancesReply {
  blockNumber: string
  native: string
  tokens: Array<{ token: string; balance: string | null }>
}

/** Balances of the given currencies (one API call), refreshed on every block. */
export function useBalances(
  account: string | undefined,
  currencies: readonly Currency[],
  block: bigint | undefined,
) {
  const tokens = currencies.flatMap((c) => (c.kind === 'token' ? [c.address] : []))
  const result = useQuery({
    queryKey: ['balances', account, tokens.join(','), block?.toString()],
    enabled: account !== undefined,
    placeholderData: (previous) => previous,
    queryFn: () => api<BalancesReply>(`/v1/wallet/${account}/balances${query({ tokens: tokens.join(',') })}`),
  })
  const balanceOf = (c: Currency | null): bigint | undefined => {
    if (!c || !result.data) return undefined
    if (c.kind === 'native') return BigInt(result.data.native)
    const row = result.data.tokens.find((t) => t.token.toLowerCase() === c.address.toLowerCase())
    return row?.balance == null ? undefined : BigInt(row.balance)
  }
  return { balanceOf, refetch: result.refetch }
}
