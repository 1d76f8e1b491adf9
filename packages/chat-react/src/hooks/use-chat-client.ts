import { useContext } from 'react'
import { ChatContext } from '../provider.js'
import type { ChatSession } from '../session/session.js'

/** The ChatSession given to the nearest ChatProvider. */
export function useChatClient(): ChatSession {
  const client = useContext(ChatContext)
  if (!client) throw new Error('useChatClient: wrap your components in <ChatProvider client={client}>')
  return client
}
