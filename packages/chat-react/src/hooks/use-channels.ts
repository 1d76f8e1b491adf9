import { useCallback, useState } from 'react'
import * as bridge from '../client-bridge.js'
import { useChatClient } from './use-chat-client.js'
import { useStoreSlice } from './use-store.js'

export interface ChannelSummary {
  id: string
  type: string
  name: string | null
  /** Members' ids (DMs name the other person). */
  memberIds: string[]
  lastMessageAt: string | null
}

/**
 * The channels you belong to, most recently active first: loaded when the client connects and
 * kept live by it. `reload` asks the server again (its failure comes back in `error`).
 */
export function useChannels() {
  const client = useChatClient()
  const channels = useStoreSlice((c) => bridge.channelList(c), [])
  const [reloading, setReloading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const reload = useCallback(() => {
    setReloading(true)
    bridge
      .loadChannels(client)
      .then(
        () => setError(null),
        (cause: unknown) => setError(cause instanceof Error ? cause.message : String(cause)),
      )
      .finally(() => setReloading(false))
  }, [client])
  return { channels, loading: reloading, error, reload }
}
