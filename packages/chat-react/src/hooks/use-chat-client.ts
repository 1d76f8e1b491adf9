import type { ChatClient } from '@chatsdk/client'
import { useContext } from 'react'
import { ChatContext } from '../provider.js'

/** The ChatClient given to the nearest ChatProvider. */
export function useChatClient(): ChatClient {
  const client = useContext(ChatContext)
  if (!client) throw new Error('useChatClient: wrap your components in <ChatProvider client={client}>')
  return client
}
