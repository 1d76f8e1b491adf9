import { createContext, useContext } from 'react'
import type { ChainInfo } from '../lib/types.js'

/** /v1/chain, read once before the app renders (wagmi needs the chain to start). */
export const ChainContext = createContext<ChainInfo | null>(null)

export function useChainInfo(): ChainInfo {
  const info = useContext(ChainContext)
  if (!info) throw new Error('useChainInfo outside ChainContext')
  return info
}
