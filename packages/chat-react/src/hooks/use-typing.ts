import { useCallback, useEffect, useRef } from 'react'
import * as bridge from '../client-bridge.js'
import { useChatClient } from './use-chat-client.js'
import { useStoreSlice } from './use-store.js'

/** Stop saying "typing" this long after the last keystroke. */
const IDLE_MS = 3_000

/**
 * Who else is typing in a channel (or thread), and your own typing announcements: `notifyTyping`
 * on each keystroke (the client throttles what it sends), `stopTyping` when the text is sent.
 */
export function useTyping(channelId: string, parentId?: string | undefined) {
  const client = useChatClient()
  const typingUserIds = useStoreSlice(
    (c) => bridge.typingUsers(c, channelId, parentId).filter((id) => id !== c.userId),
    [channelId, parentId],
  )
  const idle = useRef<ReturnType<typeof setTimeout> | undefined>(undefined)
  const stopTyping = useCallback(() => {
    clearTimeout(idle.current)
    idle.current = undefined
    bridge.typing(client, channelId, parentId, false)
  }, [client, channelId, parentId])
  const notifyTyping = useCallback(() => {
    bridge.typing(client, channelId, parentId, true)
    clearTimeout(idle.current)
    idle.current = setTimeout(stopTyping, IDLE_MS)
  }, [client, channelId, parentId, stopTyping])
  useEffect(() => () => clearTimeout(idle.current), [])
  return { typingUserIds, notifyTyping, stopTyping }
}
