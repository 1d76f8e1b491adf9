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
 * kept live by it. `reload` asks the server again; `error` says why the last load failed, whether
 * `reload` or the client's own refresh in the background (after a reconnect that lost events),
 * and `dismiss` hides it.
 */
export function useChannels() {
  const client = useChatClient()
  const channels = useStoreSlice((c) => bridge.channelList(c), [])
  const background = useStoreSlice((c) => bridge.channelsError(c), [])
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
  const dismiss = useCallback(() => {
    setError(null)
    bridge.dismissChannelsError(client)
  }, [client])
  return { channels, loading: reloading, error: error ?? background, reload, dismiss }
}
