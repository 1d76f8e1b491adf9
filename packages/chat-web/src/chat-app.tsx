import {
  Avatar,
  ChannelList,
  Icon,
  LoadNotice,
  MessageInput,
  MessageList,
  type MessageView,
  SearchPanel,
  ThreadPanel,
  TypingIndicator,
  useChannel,
  useChatClient,
  useDisplayName,
  usePresence,
  useUnreadCount,
} from '@chatsdk/react'
import { useEffect, useRef, useState } from 'react'
import { ConnectionBanner } from './connection-banner.js'
import { PollDialog } from './poll-dialog.js'

export interface ChatAppProps {
  channelId: string
  onSelectChannel(channelId: string): void
  theme: 'light' | 'dark' | 'auto'
  onToggleTheme(): void
  onSignOut(): void
}

type SidePanel = { kind: 'thread'; messageId: string } | { kind: 'search' } | null

/** The signed-in app: channels on the left, the conversation in the middle, a thread or search on the right. */
export function ChatApp(props: ChatAppProps) {
  const { channelId } = props
  const client = useChatClient()
  const nameOf = useDisplayName()
  const { channel, members, loading, error, canModerate, retry, dismiss } = useChannel(channelId)
  const [panel, setPanel] = useState<SidePanel>(null)
  const [menuOpen, setMenuOpen] = useState(false)
  const [pollOpen, setPollOpen] = useState(false)
  const presence = usePresence(members.map((member) => member.userId))
  const online = members.filter((member) => presence[member.userId] === 'online').length
  const title = channelTitle(channel, channelId, client.userId, nameOf)
  const menuButton = useRef<HTMLButtonElement>(null)
  // on a phone the channel list is hidden: its menu button says when other channels have news
  const unreadElsewhere = useUnreadCount() - useUnreadCount(channelId)

  // A new channel closes the thread of the old one.
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs on channel change only
  useEffect(() => {
    setPanel((current) => (current?.kind === 'thread' ? null : current))
  }, [channelId])

  useEffect(() => {
    document.title = `${title} · ChatSDK demo`
  }, [title])

  const select = (id: string) => {
    props.onSelectChannel(id)
    setMenuOpen(false)
  }
  const openResult = (message: MessageView) => {
    select(message.channelId)
    setPanel(message.parentId ? { kind: 'thread', messageId: message.parentId } : null)
  }

  const classes = ['app']
  if (panel) classes.push('app--thread-open')
  if (menuOpen) classes.push('app--menu-open')
  return (
    <div className={classes.join(' ')}>
      <div className="app__banner">
        <ConnectionBanner />
      </div>
      <aside className="app__sidebar" aria-label="Sidebar">
        <div className="app__brand">
          <img src="/favicon.svg" alt="" />
          ChatSDK
        </div>
        <ChannelList activeChannelId={channelId} onSelect={select} />
        <div className="app__me">
          <Avatar userId={client.userId} name={nameOf(client.userId)} size={32} />
          <span className="app__me-name">{nameOf(client.userId)}</span>
          <button
            type="button"
            className="csdk-icon-button"
            aria-label={`Theme: ${props.theme}. Switch theme`}
            title="Switch theme"
            onClick={props.onToggleTheme}
          >
            <Icon name="theme" />
          </button>
          <button
            type="button"
            className="csdk-icon-button"
            aria-label="Switch user"
            title="Switch user"
            onClick={props.onSignOut}
          >
            <Icon name="switch" />
          </button>
        </div>
      </aside>
      {menuOpen && <div className="app__scrim" aria-hidden="true" onClick={() => setMenuOpen(false)} />}
      <main className="app__main" aria-label={title}>
        <header className="app__header">
          <button
            ref={menuButton}
            type="button"
            className="csdk-icon-button app__menu-button"
            aria-label={
              unreadElsewhere > 0 ? `Open channel list, ${unreadElsewhere} unread` : 'Open channel list'
            }
            aria-expanded={menuOpen}
            onClick={() => setMenuOpen(true)}
          >
            <Icon name="menu" />
            {unreadElsewhere > 0 && (
              <span className="csdk-badge app__menu-badge" aria-hidden="true">
                {unreadElsewhere}
              </span>
            )}
          </button>
          <h1 className="app__title">{title}</h1>
          {members.length > 0 && (
            <span className="app__subtitle">
              {members.length} members · {online} online
            </span>
          )}
          <div className="app__header-actions">
            <button
              type="button"
              className="csdk-icon-button"
              aria-label="New poll"
              title="New poll"
              onClick={() => setPollOpen(true)}
            >
              <Icon name="poll" />
            </button>
            <button
              type="button"
              className="csdk-icon-button"
              aria-label="Search messages"
              title="Search"
              aria-pressed={panel?.kind === 'search'}
              onClick={() => setPanel(panel?.kind === 'search' ? null : { kind: 'search' })}
            >
              <Icon name="search" />
            </button>
          </div>
        </header>
        {error && !channel ? (
          <div className="csdk-state csdk-state--error" role="alert">
            <p className="csdk-state__title">This channel could not be opened.</p>
            <p>{error}</p>
          </div>
        ) : loading && !channel ? (
          <div className="csdk-state" aria-busy="true">
            Loading #{channelId}…
          </div>
        ) : (
          <>
            {error && (
              <LoadNotice
                message="Couldn't load this channel's members."
                detail={error}
                onRetry={retry}
                onDismiss={dismiss}
              />
            )}
            <MessageList
              // keys of siblings must differ: a duplicate leaves the old list in the DOM
              key={`list:${channelId}`}
              channelId={channelId}
              channelName={title.replace(/^#/, '')}
              onOpenThread={(message) => setPanel({ kind: 'thread', messageId: message.id })}
              moderation={canModerate ? { channelId } : undefined}
            />
            <TypingIndicator channelId={channelId} />
            <MessageInput
              key={`input:${channelId}`}
              channelId={channelId}
              placeholder={`Message ${title}`}
              autoFocus
            />
          </>
        )}
      </main>
      {panel?.kind === 'thread' && (
        <aside className="app__thread" aria-label="Thread">
          <ThreadPanel key={panel.messageId} messageId={panel.messageId} onClose={() => setPanel(null)} />
        </aside>
      )}
      {panel?.kind === 'search' && (
        <aside className="app__search" aria-label="Search">
          <SearchPanel onOpenResult={openResult} onClose={() => setPanel(null)} />
        </aside>
      )}
      {pollOpen && <PollDialog channelId={channelId} onClose={() => setPollOpen(false)} />}
    </div>
  )
}

function channelTitle(
  channel: { type: string; name: string | null; memberIds?: string[] } | null,
  channelId: string,
  me: string,
  nameOf: (id: string) => string,
): string {
  if (channel?.type === 'direct') {
    const peer = channel.memberIds?.find((id) => id !== me)
    if (peer) return nameOf(peer)
  }
  return `#${channel?.name ?? channelId}`
}
