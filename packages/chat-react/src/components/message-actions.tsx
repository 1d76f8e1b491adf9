import { useState } from 'react'
import { useMessageActions } from '../hooks/use-message-actions.js'
import type { MessageView } from '../types.js'
import { Icon } from './icons.js'
import { ReactionPicker } from './reactions.js'

/** What a moderator may do to another person's message and its author. */
export interface ModerationActions {
  channelId: string
}

/**
 * The toolbar a message shows on hover or keyboard focus: react, reply in a thread, delete (your
 * own, or anyone's when you moderate), and mute or ban the author when you moderate.
 */
export function MessageActions(props: {
  message: MessageView
  own: boolean
  onOpenThread?: ((message: MessageView) => void) | undefined
  moderation?: ModerationActions | undefined
}) {
  const { message, own, moderation } = props
  const actions = useMessageActions()
  const [notice, setNotice] = useState<string | null>(null)
  const run = (work: Promise<unknown>, done: string) =>
    work.then(
      () => setNotice(done),
      (error: unknown) => setNotice(error instanceof Error ? error.message : String(error)),
    )
  const author = message.userId ?? 'this user'
  return (
    <div className="csdk-toolbar" role="toolbar" aria-label="Message actions">
      <ReactionPicker message={message} />
      {props.onOpenThread && message.parentId === null && (
        <button
          type="button"
          className="csdk-icon-button"
          aria-label="Reply in thread"
          title="Reply in thread"
          onClick={() => props.onOpenThread?.(message)}
        >
          <Icon name="reply" />
        </button>
      )}
      {(own || moderation) && (
        <button
          type="button"
          className="csdk-icon-button"
          aria-label="Delete message"
          title="Delete message"
          onClick={() => {
            if (window.confirm('Delete this message for everyone?'))
              void run(actions.remove(message.id), 'Deleted.')
          }}
        >
          <Icon name="trash" />
        </button>
      )}
      {moderation && message.userId && (
        <>
          <button
            type="button"
            className="csdk-icon-button"
            aria-label={`Mute ${author} in this channel`}
            title={`Mute ${author}`}
            onClick={() => void run(actions.mute(author, moderation.channelId), `${author} is muted.`)}
          >
            <Icon name="mute" />
          </button>
          <button
            type="button"
            className="csdk-icon-button"
            aria-label={`Ban ${author} from this channel`}
            title={`Ban ${author}`}
            onClick={() => {
              if (window.confirm(`Ban ${author} from this channel?`)) {
                void run(actions.ban(author, moderation.channelId), `${author} is banned.`)
              }
            }}
          >
            <Icon name="ban" />
          </button>
        </>
      )}
      {notice && (
        <span className="csdk-toolbar__notice" role="status">
          {notice}
        </span>
      )}
    </div>
  )
}
