import { useCallback, useEffect, useState } from 'react'
import * as bridge from '../client-bridge.js'
import { useChatClient } from './use-chat-client.js'
import { useStoreSlice } from './use-store.js'

/**
 * A poll, live: the client keeps it current from `poll.updated` events. `vote` and `retract`
 * change your votes; `close` ends it (its creator). Errors (a closed poll, say) come back in `error`.
 */
export function usePoll(pollId: string) {
  const client = useChatClient()
  const poll = useStoreSlice((c) => bridge.pollOf(c, pollId), [pollId])
  const [error, setError] = useState<string | null>(null)
  useEffect(() => {
    bridge.loadPoll(client, pollId).catch((cause: unknown) => setError(messageOf(cause)))
  }, [client, pollId])
  const act = useCallback(
    (work: Promise<unknown>) =>
      work.then(
        () => setError(null),
        (cause: unknown) => setError(messageOf(cause)),
      ),
    [],
  )
  return {
    poll,
    error,
    canClose: poll !== null && poll.createdBy === client.userId,
    vote: (optionId: string) => void act(bridge.vote(client, pollId, optionId)),
    retract: (optionId: string) => void act(bridge.retractVote(client, pollId, optionId)),
    close: () => void act(bridge.closePoll(client, pollId)),
  }
}

function messageOf(cause: unknown): string {
  return cause instanceof Error ? cause.message : String(cause)
}
