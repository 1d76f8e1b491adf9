import { useCallback, useRef, useState } from 'react'
import { useChatClient } from '../../hooks/use-chat-client.js'
import { useConnectionState } from '../../hooks/use-connection-state.js'
import { useDisplayName } from '../../hooks/use-display-name.js'
import { useMessages } from '../../hooks/use-messages.js'
import { formatDay, sameDay } from '../../text/time.js'
import type { MessageView } from '../../types.js'
import { LoadNotice } from '../load-notice.js'
import { MessageActions, type ModerationActions } from '../message-actions.js'
import { MessageItem } from '../message-item.js'
import { Poll } from '../poll.js'
import { Reactions } from '../reactions.js'
import { ReadReceipts } from '../read-receipts.js'
import { VirtualFeed, type VirtualFeedHandle } from './virtual-feed.js'

export interface MessageListProps {
  channelId: string
  /** The channel's name for the feed's accessible name ("Messages in #general"). */
  channelName?: string | undefined
  onOpenThread?(message: MessageView): void
  /** Shown on other people's messages when you may moderate this channel. */
  moderation?: ModerationActions | undefined
}

/** What each failed background load left missing, in the list's words. */
const FAILED_LOADS = {
  older: "Couldn't load older messages.",
  newer: "Couldn't load newer messages.",
  latest: "Couldn't load the latest messages.",
  missed: "Couldn't load what was sent while you were away: some messages may be missing.",
} as const

/** Messages of the same author within this window share one header. */
const GROUP_WINDOW_MS = 5 * 60_000

/**
 * A channel's messages, virtualized. Opens at the first unread message (with a "New messages"
 * line) or at the newest, loads older pages as you scroll up without moving what you read, marks
 * the channel read as the newest message comes into view, and offers to jump to the first
 * unread or back to the latest.
 */
export function MessageList(props: MessageListProps) {
  const { channelId } = props
  const client = useChatClient()
  const nameOf = useDisplayName()
  const state = useMessages(channelId)
  const offline = useConnectionState().state === 'offline'
  const { messages, firstUnreadId } = state
  const feed = useRef<VirtualFeedHandle>(null)
  const [atEnd, setAtEnd] = useState(true)
  const [unreadVisible, setUnreadVisible] = useState(true)
  // The divider stays where it was when the channel opened, even after the channel is marked read.
  const [dividerId] = useState(firstUnreadId)
  const unreadIndex = dividerId ? messages.findIndex((message) => message.id === dividerId) : -1

  const { markRead, loadOlder, loadNewer, failed } = state
  // a failed page is not asked for again on every scroll: the notice's "Try again" asks
  const noop = useCallback(() => {}, [])
  const lastOwnId = lastOwn(messages, client.userId)?.id
  const onRangeChange = useCallback(
    (first: number, last: number) => {
      setUnreadVisible(unreadIndex < 0 || (unreadIndex >= first && unreadIndex <= last))
      if (last === messages.length - 1 && !state.hasNewer) markRead()
    },
    [unreadIndex, messages.length, state.hasNewer, markRead],
  )

  const notice =
    state.error && failed && messages.length > 0 ? (
      <LoadNotice
        message={FAILED_LOADS[failed]}
        detail={state.error}
        onRetry={state.retryLoad}
        onDismiss={state.dismissError}
      />
    ) : null

  if (state.error && messages.length === 0) {
    return (
      <div className="csdk-state csdk-state--error" role="alert">
        <p>Could not load messages: {state.error}</p>
        <button type="button" className="csdk-button" onClick={state.reload}>
          Try again
        </button>
      </div>
    )
  }
  if (state.loading && messages.length === 0) {
    return (
      <div className="csdk-message-list csdk-message-list--loading" role="status">
        <span className="csdk-sr-only">Loading messages</span>
        {[0, 1, 2, 3].map((row) => (
          <div key={row} className="csdk-skeleton-message">
            <span className="csdk-skeleton csdk-skeleton--avatar" />
            <span className="csdk-skeleton csdk-skeleton--text" />
          </div>
        ))}
      </div>
    )
  }
  if (messages.length === 0) {
    return (
      <div className="csdk-state csdk-state--empty">
        <p className="csdk-state__title">No messages yet</p>
        <p>Say hello to start the conversation.</p>
      </div>
    )
  }

  const render = (message: MessageView, index: number) => {
    const previous = index > 0 ? messages[index - 1] : undefined
    const newDay = !previous || !sameDay(new Date(previous.createdAt), new Date(message.createdAt))
    const continued =
      !newDay &&
      previous !== undefined &&
      previous.userId === message.userId &&
      previous.deletedAt === null &&
      message.id !== dividerId &&
      Date.parse(message.createdAt) - Date.parse(previous.createdAt) < GROUP_WINDOW_MS
    const own = message.userId === client.userId
    const pollId = typeof message.custom?.pollId === 'string' ? message.custom.pollId : undefined
    return (
      <>
        {newDay && (
          <div className="csdk-divider">
            <span>{formatDay(message.createdAt)}</span>
          </div>
        )}
        {message.id === dividerId && (
          <div className="csdk-divider csdk-divider--unread">
            <span>New messages</span>
          </div>
        )}
        <MessageItem
          message={message}
          authorName={nameOf(message.userId)}
          continued={continued}
          offline={offline}
          onRetry={message.delivery === 'failed' ? () => state.retry(message) : undefined}
          onDiscard={message.delivery === 'failed' ? () => state.discard(message) : undefined}
          actions={
            message.delivery === 'sent' && (
              <MessageActions
                message={message}
                own={own}
                onOpenThread={props.onOpenThread}
                moderation={own ? undefined : props.moderation}
              />
            )
          }
        >
          {pollId && <Poll pollId={pollId} />}
          <Reactions message={message} />
          {message.replyCount > 0 && props.onOpenThread && (
            <button type="button" className="csdk-thread-link" onClick={() => props.onOpenThread?.(message)}>
              {message.replyCount} {message.replyCount === 1 ? 'reply' : 'replies'}
            </button>
          )}
          {message.id === lastOwnId && <ReadReceipts channelId={channelId} seq={message.seq} />}
        </MessageItem>
      </>
    )
  }

  return (
    <div className="csdk-message-list">
      {failed === 'older' && notice}
      <VirtualFeed
        key={channelId}
        ref={feed}
        items={messages}
        getKey={(message) => message.clientMessageId ?? message.id}
        getLabel={(message) =>
          `${nameOf(message.userId)}: ${message.deletedAt ? 'deleted message' : message.text}`
        }
        renderItem={render}
        label={`Messages in #${props.channelName ?? channelId}`}
        initialIndex={unreadIndex >= 0 ? unreadIndex : undefined}
        hasOlder={state.hasOlder}
        hasNewer={state.hasNewer}
        loading={state.loadingOlder || state.loadingNewer}
        onNearStart={failed === 'older' ? noop : loadOlder}
        onNearEnd={failed === 'newer' ? noop : loadNewer}
        onAtEndChange={setAtEnd}
        onRangeChange={onRangeChange}
      />
      {failed !== 'older' && notice}
      <div className="csdk-message-list__jumps">
        {unreadIndex >= 0 && !unreadVisible && (
          <button
            type="button"
            className="csdk-pill-button"
            onClick={() => feed.current?.scrollToIndex(unreadIndex, 'start')}
          >
            Jump to first unread
          </button>
        )}
        {(!atEnd || state.hasNewer) && (
          <button
            type="button"
            className="csdk-pill-button"
            onClick={() => (state.hasNewer ? state.jumpToLatest() : feed.current?.scrollToEnd())}
          >
            Jump to latest
          </button>
        )}
      </div>
    </div>
  )
}

function lastOwn(messages: readonly MessageView[], userId: string): MessageView | undefined {
  for (let index = messages.length - 1; index >= 0; index--) {
    const message = messages[index]!
    if (message.userId === userId && message.delivery === 'sent' && message.deletedAt === null) return message
  }
  return undefined
}
