import { useCallback, useEffect } from 'react'
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

/** The channels you belong to, most recently active first, kept live by the client. */
export function useChannels() {
  const client = useChatClient()
  const list = useStoreSlice((c) => bridge.channelList(c), [])
  useEffect(() => {
    void bridge.loadChannels(client)
  }, [client])
  const reload = useCallback(() => void bridge.loadChannels(client), [client])
  return { ...list, reload }
}
