import { useCallback } from 'react'
import * as bridge from '../client-bridge.js'
import { useChatClient } from './use-chat-client.js'

/**
 * Posts a poll in a channel: a message carrying the question, the poll attached to it, and the
 * poll's id recorded on the message (`custom.pollId`) so every reader, now or after a reload,
 * knows to show it.
 */
export function useCreatePoll(channelId: string) {
  const client = useChatClient()
  return useCallback(
    (input: { question: string; options: string[]; multiple?: boolean }) =>
      bridge.createPoll(client, channelId, input),
    [client, channelId],
  )
}
