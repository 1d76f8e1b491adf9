import { useCallback } from 'react'
import * as bridge from '../client-bridge.js'
import type { MessageView } from '../types.js'
import { useChatClient } from './use-chat-client.js'

/**
 * A message's reaction counts and yours, and `toggle(type)` to add or remove yours. Counts come
 * with the message from the store (the client applies reaction events to it), so this hook holds
 * no state of its own.
 */
export function useReactions(message: MessageView) {
  const client = useChatClient()
  const own = message.ownReactions
  const toggle = useCallback(
    (type: string) =>
      void (own.includes(type)
        ? bridge.removeReaction(client, message, type)
        : bridge.addReaction(client, message, type)),
    [client, message, own],
  )
  return { counts: message.reactionCounts, own, toggle }
}
