import type { ChatClient } from '@chatsdk/client'
import { createContext, type ReactNode } from 'react'

export const ChatContext = createContext<ChatClient | null>(null)

export type Theme = 'light' | 'dark' | 'auto'

export interface ChatProviderProps {
  client: ChatClient
  /** "auto" follows the system's light or dark preference. */
  theme?: Theme
  /** Extra classes for the themed root element (an app's layout). */
  className?: string
  children: ReactNode
}

/**
 * Makes a connected ChatClient available to the hooks and components below, and themes them: the
 * root element carries the CSS variables (styles.css) for the chosen scheme. The provider owns
 * no state: everything lives in the client's store.
 */
export function ChatProvider({ client, theme = 'auto', className, children }: ChatProviderProps) {
  return (
    <ChatContext.Provider value={client}>
      <div className={className ? `csdk-root ${className}` : 'csdk-root'} data-csdk-theme={theme}>
        {children}
      </div>
    </ChatContext.Provider>
  )
}
