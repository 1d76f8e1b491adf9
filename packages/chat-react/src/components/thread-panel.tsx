import { useId } from 'react'
import { useChatClient } from '../hooks/use-chat-client.js'
import { useConnectionState } from '../hooks/use-connection-state.js'
import { useDisplayName } from '../hooks/use-display-name.js'
import { useThread } from '../hooks/use-thread.js'
import { Icon } from './icons.js'
import { LoadNotice } from './load-notice.js'
import { MessageActions } from './message-actions.js'
import { MessageInput } from './message-input.js'
import { MessageItem } from './message-item.js'
import { Reactions } from './reactions.js'
import { TypingIndicator } from './typing-indicator.js'

/** A thread beside the conversation: the parent message, its replies, and a reply box. */
export function ThreadPanel({ messageId, onClose }: { messageId: string; onClose(): void }) {
  const { parent, replies, loading, error, retry } = useThread(messageId)
  const headingId = useId()
  const nameOf = useDisplayName()
  const client = useChatClient()
  const offline = useConnectionState().state === 'offline'
  return (
    <section
      className="csdk-panel csdk-thread"
      aria-labelledby={headingId}
      onKeyDown={(event) => {
        if (event.key === 'Escape' && !event.defaultPrevented) onClose()
      }}
    >
      <header className="csdk-panel__header">
        <h2 id={headingId} className="csdk-panel__title">
          Thread
        </h2>
        <button type="button" className="csdk-icon-button" aria-label="Close thread" onClick={onClose}>
          <Icon name="close" />
        </button>
      </header>
      <div className="csdk-panel__body">
        {error && <LoadNotice message="Couldn't load this thread." detail={error} onRetry={retry} />}
        {parent && (
          <div className="csdk-thread__parent">
            <MessageItem message={parent} authorName={nameOf(parent.userId)}>
              <Reactions message={parent} />
            </MessageItem>
          </div>
        )}
        <p className="csdk-thread__count">
          {loading ? 'Loading replies…' : `${replies.length} ${replies.length === 1 ? 'reply' : 'replies'}`}
        </p>
        <ul className="csdk-thread__replies" aria-label="Replies">
          {replies.map((reply) => (
            <li key={reply.clientMessageId ?? reply.id}>
              <MessageItem
                message={reply}
                authorName={nameOf(reply.userId)}
                offline={offline}
                actions={
                  reply.delivery === 'sent' && (
                    <MessageActions message={reply} own={reply.userId === client.userId} />
                  )
                }
              >
                <Reactions message={reply} />
              </MessageItem>
            </li>
          ))}
        </ul>
      </div>
      {parent && (
        <div className="csdk-panel__footer">
          <TypingIndicator channelId={parent.channelId} parentId={parent.id} />
          <MessageInput
            channelId={parent.channelId}
            parentId={parent.id}
            placeholder="Reply in thread"
            autoFocus
          />
        </div>
      )}
    </section>
  )
}
