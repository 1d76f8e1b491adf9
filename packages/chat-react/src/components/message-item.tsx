import type { ReactNode } from 'react'
import { splitMentions } from '../text/mentions.js'
import { formatClock } from '../text/time.js'
import type { MessageView } from '../types.js'
import { Attachments } from './attachments.js'
import { Avatar } from './avatar.js'

export interface MessageItemProps {
  message: MessageView
  /** The author's display name. */
  authorName: string
  /** The previous message is by the same author a few minutes before: no repeated header. */
  continued?: boolean
  /** Rendered under the text: reactions, poll, thread link, receipts. */
  children?: ReactNode
  /** Action buttons shown on hover and keyboard focus. */
  actions?: ReactNode
  /** Retry / discard for a message the server refused. */
  onRetry?(): void
  onDiscard?(): void
  highlighted?: boolean
  /** The client has no connection: a pending message waits for it instead of being sent. */
  offline?: boolean
}

/** One message: who, when, what, and its delivery state. */
export function MessageItem(props: MessageItemProps) {
  const { message, authorName } = props
  const deleted = message.deletedAt !== null || message.type === 'deleted'
  const classes = ['csdk-message']
  if (props.continued) classes.push('csdk-message--continued')
  if (message.delivery !== 'sent') classes.push(`csdk-message--${message.delivery}`)
  if (props.highlighted) classes.push('csdk-message--highlighted')
  return (
    <div className={classes.join(' ')} data-message-id={message.id}>
      <div className="csdk-message__gutter">
        {props.continued ? (
          <time className="csdk-message__hover-time" dateTime={message.createdAt}>
            {formatClock(message.createdAt)}
          </time>
        ) : (
          <Avatar userId={message.userId ?? '?'} name={authorName} />
        )}
      </div>
      <div className="csdk-message__body">
        {!props.continued && (
          <div className="csdk-message__header">
            <span className="csdk-message__author">{authorName}</span>
            <time className="csdk-message__time" dateTime={message.createdAt}>
              {formatClock(message.createdAt)}
            </time>
          </div>
        )}
        {deleted ? (
          <p className="csdk-message__text csdk-message__text--deleted">This message was deleted.</p>
        ) : (
          message.text && (
            <p className="csdk-message__text">
              <MessageText text={message.text} mentions={message.mentions} />
              {message.editedAt && <span className="csdk-message__edited"> (edited)</span>}
            </p>
          )
        )}
        {!deleted && message.attachments.length > 0 && <Attachments attachments={message.attachments} />}
        {message.delivery === 'pending' && (
          <p className="csdk-message__status" role="status">
            {props.offline ? 'Waiting for connection' : 'Sending…'}
          </p>
        )}
        {message.delivery === 'failed' && (
          <p className="csdk-message__status csdk-message__status--failed" role="alert">
            Not sent.
            {props.onRetry && (
              <button type="button" className="csdk-link-button" onClick={props.onRetry}>
                Retry
              </button>
            )}
            {props.onDiscard && (
              <button type="button" className="csdk-link-button" onClick={props.onDiscard}>
                Discard
              </button>
            )}
          </p>
        )}
        {!deleted && props.children}
      </div>
      {!deleted && props.actions && <div className="csdk-message__actions">{props.actions}</div>}
    </div>
  )
}

function MessageText({ text, mentions }: { text: string; mentions: readonly string[] }) {
  return (
    <>
      {splitMentions(text, mentions).map((run, index) =>
        run.kind === 'text' ? (
          // runs never reorder, so their position is a stable key
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <span key={index}>{run.text}</span>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: see above
          <span key={index} className="csdk-mention">
            @{run.userId}
          </span>
        ),
      )}
    </>
  )
}
