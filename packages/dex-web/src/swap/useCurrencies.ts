import { useQuery } from '@tanstack/react-query'
import { useCallback, useMemo, useState } from 'react'
import type { Address } from 'viem'
import { api } from '../lib/api.js'
import type { TokenList } from '../lib/types.js'
import { type Currency, ETH, fromListToken } from './currency.js'

const IMPORTED_KEY = 'soba.importedTokens'

interface ImportedToken {
  address: Address
  symbol: string
  name: string
  decimals: number
  chainId: number
}

function loadImported(chainId: number): ImportedToken[] {
  try {
    const raw = JSON.parse(localStorage.getItem(IMPORTED_KEY) ?? '[]') as ImportedToken[]
    return Array.isArray(raw) ? raw.filter((t) => t.chainId === chainId) : []
  } catch {
    return []
  }
}

/** ETH, the API's token list, and the tokens this browser imported by address (kept per chain). */
export function useCurrencies(chainId: number) {
  const list = useQuery({
    queryKey: ['tokenlist'],
    queryFn: () => api<TokenList>('/v1/tokenlist'),
    staleTime: 60_000,
  })
  const [imported, setImported] = useState(() => loadImported(chainId))
  const currencies = useMemo<Currency[]>(() => {
    const listed = (list.data?.tokens ?? []).filter((t) => t.chainId === chainId).map((t) => fromListToken(t))
    const known = new Set(listed.map((t) => (t.kind === 'token' ? t.address.toLowerCase() : 'eth')))
    const extra = imported
      .filter((t) => !known.has(t.address.toLowerCase()))
      .map((t) => fromListToken({ ...t }, false))
    return [ETH, ...listed, ...extra]
  }, [list.data, imported, chainId])

  const importToken = useCallback(
    (token: Omit<ImportedToken, 'chainId'>) => {
      const next = [
        ...loadImported(chainId).filter((t) => t.address.toLowerCase() !== token.address.toLowerCase()),
        { ...token, chainId },
      ]
      localStorage.setItem(IMPORTED_KEY, JSON.stringify(next))
      setImported(next)
    },
    [chainId],
  )
  return { currencies, loading: list.isPending, importToken }
}
