import { useCallback, useEffect } from 'react'
import * as bridge from '../client-bridge.js'
import { useChatClient } from './use-chat-client.js'
import { useStoreSlice } from './use-store.js'

/** A thread: its parent message and replies, loaded once and kept live by the client; `retry` after an `error`. */
export function useThread(parentId: string) {
  const client = useChatClient()
  const state = useStoreSlice((c) => bridge.thread(c, parentId), [parentId])
  useEffect(() => {
    bridge.watchThread(client, parentId)
  }, [client, parentId])
  const retry = useCallback(() => bridge.watchThread(client, parentId), [client, parentId])
  return { ...state, retry }
}
