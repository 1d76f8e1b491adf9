import type { ChatClient } from '@chatsdk/client'
import { createContext, type ReactNode, useCallback, useEffect, useState, useSyncExternalStore } from 'react'

export const ChatContext = createContext<ChatClient | null>(null)

export type Theme = 'light' | 'dark' | 'auto'

export interface ChatProviderProps {
  /** A @chatsdk/client ChatClient; the provider connects it when it is not connected yet. */
  client: ChatClient
  /** "auto" follows the system's light or dark preference. */
  theme?: Theme
  /** Extra classes for the themed root element (an app's layout). */
  className?: string
  /** Shown while the client signs in and loads the channel list (default: nothing). */
  fallback?: ReactNode
  children: ReactNode
}

/**
 * Makes a ChatClient available to the hooks and components below, and themes them: the root
 * element carries the CSS variables (styles.css) for the chosen scheme. The provider owns no
 * state: everything lives in the client's store. A client that is not connected yet is
 * connected here; a failure to connect is thrown to the nearest error boundary.
 */
export function ChatProvider({
  client,
  theme = 'auto',
  className,
  fallback = null,
  children,
}: ChatProviderProps) {
  const subscribe = useCallback((onChange: () => void) => client.subscribe(onChange), [client])
  const ready = useSyncExternalStore(subscribe, () => client.ready)
  const [failure, setFailure] = useState<{ error: unknown } | null>(null)
  useEffect(() => {
    if (!client.ready) client.connect().catch((error: unknown) => setFailure({ error }))
  }, [client])
  if (failure) throw failure.error
  return (
    <ChatContext.Provider value={client}>
      <div className={className ? `csdk-root ${className}` : 'csdk-root'} data-csdk-theme={theme}>
        {ready ? children : fallback}
      </div>
    </ChatContext.Provider>
  )
}
