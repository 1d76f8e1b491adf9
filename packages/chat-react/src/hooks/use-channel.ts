import { useCallback, useEffect } from 'react'
import * as bridge from '../client-bridge.js'
import { useChatClient } from './use-chat-client.js'
import { useStoreSlice } from './use-store.js'

/**
 * One channel, its members and whether you may moderate it; loads it when not in the store yet.
 * `error` says the channel or its members could not be loaded: `retry` asks again, `dismiss` hides it.
 */
export function useChannel(channelId: string) {
  const client = useChatClient()
  const state = useStoreSlice((c) => bridge.channelState(c, channelId), [channelId])
  useEffect(() => {
    bridge.loadChannel(client, channelId)
  }, [client, channelId])
  const retry = useCallback(() => bridge.retryChannel(client, channelId), [client, channelId])
  const dismiss = useCallback(() => bridge.dismissChannelError(client, channelId), [client, channelId])
  return { ...state, retry, dismiss }
}
