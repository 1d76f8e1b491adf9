import { createContext, type ReactNode } from 'react'
import type { ChatSession } from './session/session.js'

export const ChatContext = createContext<ChatSession | null>(null)

export type Theme = 'light' | 'dark' | 'auto'

export interface ChatProviderProps {
  client: ChatSession
  /** "auto" follows the system's light or dark preference. */
  theme?: Theme
  /** Extra classes for the themed root element (an app's layout). */
  className?: string
  children: ReactNode
}

/**
 * Makes a connected ChatSession available to the hooks and components below, and themes them: the
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
