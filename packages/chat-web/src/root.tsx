import { ChatProvider, type Theme } from '@chatsdk/react'
import { useEffect, useState } from 'react'
import { ChatApp } from './chat-app.js'
import { type DemoSession, signInAsDemoUser } from './demo-session.js'
import { readUrlState, type UrlState, urlFor } from './url-state.js'
import { UserPicker } from './user-picker.js'

const DEFAULT_CHANNEL = 'general'
const THEMES: Theme[] = ['auto', 'light', 'dark']

/** Who is signed in decides what shows: the picker, a loading or error state, or the chat. */
export function Root() {
  const [url, setUrl] = useState<UrlState>(() => readUrlState(window.location.search))
  const [session, setSession] = useState<DemoSession | null>(null)
  const [failure, setFailure] = useState<string | null>(null)
  const [theme, setTheme] = useState<Theme>(
    () => (localStorage.getItem('chatsdk-demo-theme') as Theme) ?? 'auto',
  )

  useEffect(() => {
    const onPop = () => setUrl(readUrlState(window.location.search))
    window.addEventListener('popstate', onPop)
    return () => window.removeEventListener('popstate', onPop)
  }, [])

  useEffect(() => {
    if (!url.user) return
    let live = true
    let opened: DemoSession | null = null
    setFailure(null)
    signInAsDemoUser(url.user).then(
      (next) => {
        opened = next
        if (live) setSession(next)
        else next.close()
      },
      (cause: unknown) => live && setFailure(cause instanceof Error ? cause.message : String(cause)),
    )
    return () => {
      live = false
      opened?.close()
      setSession(null)
    }
  }, [url.user])

  const navigate = (next: UrlState, mode: 'push' | 'replace' = 'push') => {
    const href = urlFor(next)
    if (mode === 'push') window.history.pushState(null, '', href)
    else window.history.replaceState(null, '', href)
    setUrl(next)
  }

  const toggleTheme = () => {
    const next = THEMES[(THEMES.indexOf(theme) + 1) % THEMES.length]!
    localStorage.setItem('chatsdk-demo-theme', next)
    setTheme(next)
  }

  if (!url.user) {
    return (
      <div className="csdk-root" data-csdk-theme={theme}>
        <UserPicker onPick={(user) => navigate({ user, channel: DEFAULT_CHANNEL })} />
      </div>
    )
  }
  if (failure) {
    return (
      <div className="csdk-root picker" data-csdk-theme={theme}>
        <div className="picker__card" role="alert">
          <h1>Could not sign in as {url.user}</h1>
          <p>{failure}</p>
          <button
            type="button"
            className="csdk-button"
            onClick={() => navigate({ user: null, channel: null })}
          >
            Pick another user
          </button>
        </div>
      </div>
    )
  }
  if (!session) {
    return (
      <div className="csdk-root picker" data-csdk-theme={theme}>
        <p className="csdk-state" aria-busy="true">
          Signing in as {url.user}…
        </p>
      </div>
    )
  }
  return (
    <ChatProvider client={session.client} theme={theme}>
      <ChatApp
        channelId={url.channel ?? DEFAULT_CHANNEL}
        onSelectChannel={(channel) => navigate({ user: url.user, channel }, 'replace')}
        theme={theme}
        onToggleTheme={toggleTheme}
        onSignOut={() => navigate({ user: null, channel: null })}
      />
    </ChatProvider>
  )
}
