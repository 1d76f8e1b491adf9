import type { ChannelSummary } from '../hooks/use-channels.js'
import { useChannels } from '../hooks/use-channels.js'
import { useChatClient } from '../hooks/use-chat-client.js'
import { useDisplayName } from '../hooks/use-display-name.js'
import { usePresence } from '../hooks/use-presence.js'
import { useUnreadCount } from '../hooks/use-unread-count.js'
import { LoadNotice } from './load-notice.js'

export interface ChannelListProps {
  activeChannelId: string | null
  onSelect(channelId: string): void
}

/**
 * The channels and direct messages you belong to, each a link with its unread count. A link's
 * accessible name carries the count ("random, 2 unread") so the badge is not lost on a screen reader.
 */
export function ChannelList({ activeChannelId, onSelect }: ChannelListProps) {
  const { channels, loading, error, reload, dismiss } = useChannels()
  const rooms = channels.filter((channel) => channel.type !== 'direct')
  const direct = channels.filter((channel) => channel.type === 'direct')
  if (error && channels.length === 0) {
    return (
      <div className="csdk-state csdk-state--error" role="alert">
        <p>Could not load your channels.</p>
        <button type="button" className="csdk-button" onClick={reload}>
          Try again
        </button>
      </div>
    )
  }
  return (
    <nav className="csdk-channel-list" aria-label="Channels" aria-busy={loading}>
      {error && <LoadNotice message="Couldn't refresh your channels." onRetry={reload} onDismiss={dismiss} />}
      <Section
        title="Channels"
        channels={rooms}
        activeChannelId={activeChannelId}
        onSelect={onSelect}
        loading={loading}
      />
      <Section
        title="Direct messages"
        channels={direct}
        activeChannelId={activeChannelId}
        onSelect={onSelect}
        loading={loading}
      />
    </nav>
  )
}

function Section(
  props: ChannelListProps & { title: string; channels: readonly ChannelSummary[]; loading: boolean },
) {
  return (
    <section className="csdk-channel-list__section">
      <h2 className="csdk-channel-list__heading">{props.title}</h2>
      {props.loading && props.channels.length === 0 ? (
        <ul className="csdk-channel-list__items" aria-hidden="true">
          <li className="csdk-skeleton csdk-skeleton--line" />
          <li className="csdk-skeleton csdk-skeleton--line" />
        </ul>
      ) : props.channels.length === 0 ? (
        <p className="csdk-channel-list__empty">None yet.</p>
      ) : (
        <ul className="csdk-channel-list__items">
          {props.channels.map((channel) => (
            <li key={channel.id}>
              <ChannelLink
                channel={channel}
                active={channel.id === props.activeChannelId}
                onSelect={props.onSelect}
              />
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

function ChannelLink({
  channel,
  active,
  onSelect,
}: {
  channel: ChannelSummary
  active: boolean
  onSelect(channelId: string): void
}) {
  const unread = useUnreadCount(channel.id)
  const client = useChatClient()
  const peer =
    channel.type === 'direct' ? (channel.memberIds.find((id) => id !== client.userId) ?? null) : null
  const nameOf = useDisplayName()
  const presence = usePresence(peer ? [peer] : [])
  const name = peer ? nameOf(peer) : (channel.name ?? channel.id)
  const online = peer ? presence[peer] === 'online' : false
  const shownUnread = active ? 0 : unread
  return (
    <a
      href={`?channel=${encodeURIComponent(channel.id)}`}
      className={`csdk-channel-link${active ? ' csdk-channel-link--active' : ''}${shownUnread > 0 ? ' csdk-channel-link--unread' : ''}`}
      aria-current={active ? 'page' : undefined}
      aria-label={`${name}${shownUnread > 0 ? `, ${shownUnread} unread` : ''}${peer ? (online ? ', online' : ', offline') : ''}`}
      onClick={(event) => {
        event.preventDefault()
        onSelect(channel.id)
      }}
    >
      {peer ? (
        <span
          className={`csdk-presence-dot${online ? ' csdk-presence-dot--online' : ''}`}
          aria-hidden="true"
        />
      ) : (
        <span className="csdk-channel-link__hash" aria-hidden="true">
          #
        </span>
      )}
      <span className="csdk-channel-link__name">{name}</span>
      {shownUnread > 0 && (
        <span className="csdk-badge" aria-hidden="true">
          {shownUnread > 99 ? '99+' : shownUnread}
        </span>
      )}
    </a>
  )
}
