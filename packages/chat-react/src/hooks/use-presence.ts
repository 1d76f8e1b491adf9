import * as bridge from '../client-bridge.js'
import { useStoreSlice } from './use-store.js'

export type Presence = 'online' | 'away' | 'offline'

/** Online status of some users, live: `usePresence(['bob'])['bob'] === 'online'`. */
export function usePresence(userIds: readonly string[]): Record<string, Presence> {
  const key = userIds.join('\n')
  // the ids' content (key), not the array's identity, decides when to select again
  return useStoreSlice(
    (c) => {
      const status: Record<string, Presence> = {}
      for (const id of userIds) status[id] = bridge.presenceOf(c, id)
      return status
    },
    [key],
  )
}
