import { useMemo } from 'react'
import { useChatClient } from './use-chat-client.js'

/** Delete a message; mute or ban its author in a channel (moderators). The store follows the events. */
export function useMessageActions() {
  const client = useChatClient()
  return useMemo(
    () => ({
      remove: (messageId: string) => client.api.deleteMessage(messageId),
      mute: (userId: string, channelId: string) =>
        client.api.ban({ userId, channelId, kind: 'mute', durationSeconds: 3600 }),
      ban: (userId: string, channelId: string) => client.api.ban({ userId, channelId, kind: 'ban' }),
    }),
    [client],
  )
}
