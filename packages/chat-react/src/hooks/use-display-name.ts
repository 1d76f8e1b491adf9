import { useCallback } from 'react'
import * as bridge from '../client-bridge.js'
import { useChatClient } from './use-chat-client.js'
import { useStoreSlice } from './use-store.js'

/**
 * Names for user ids: `const nameOf = useDisplayName(); nameOf('alice')` gives "Alice" once the
 * client has the profile, the id until then. The client fetches each profile once and keeps it
 * in its store, shared by every component.
 */
export function useDisplayName(): (userId: string | null) => string {
  const client = useChatClient()
  // a new profile in the store gives a new function, so components naming people render again
  const profiles = useStoreSlice((c) => c.store.usersRevision, [])
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new profile count means new names
  return useCallback(
    (userId: string | null) => (userId === null ? 'Deleted user' : bridge.displayName(client, userId)),
    [client, profiles],
  )
}
