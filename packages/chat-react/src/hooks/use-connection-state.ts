import * as bridge from '../client-bridge.js'
import { useStoreSlice } from './use-store.js'

export type ConnectionState = 'connecting' | 'connected' | 'offline'

/** Whether the client is live, and how many sent messages wait in its offline queue. */
export function useConnectionState(): { state: ConnectionState; pending: number } {
  return useStoreSlice((c) => ({ state: bridge.connectionState(c), pending: bridge.pendingCount(c) }), [])
}
