import { createContext, useContext } from 'react'

/** Opens the one wallet dialog from anywhere (header button, swap button, liquidity forms). */
export const ConnectContext = createContext<() => void>(() => {})
export const useOpenConnect = () => useContext(ConnectContext)
