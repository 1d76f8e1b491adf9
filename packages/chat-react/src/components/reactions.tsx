import { useReactions } from '../hooks/use-reactions.js'
import { REACTIONS, reactionKind } from '../text/emoji.js'
import type { MessageView } from '../types.js'
import { Icon } from './icons.js'
import { Popover } from './popover.js'

/**
 * A message's reactions as toggle buttons ("👍 2", pressed when you reacted) and a button to add
 * one. Counts come from the client's store, so every reader sees the same numbers live.
 */
export function Reactions({ message }: { message: MessageView }) {
  const { counts, own, toggle } = useReactions(message)
  const entries = Object.entries(counts).filter(([, count]) => count > 0)
  if (entries.length === 0) return null
  return (
    <ul className="csdk-reactions" aria-label="Reactions">
      {entries.map(([type, count]) => {
        const kind = reactionKind(type)
        const mine = own.includes(type)
        return (
          <li key={type}>
            <button
              type="button"
              className="csdk-reaction"
              aria-pressed={mine}
              aria-label={`${kind.name}: ${count} ${count === 1 ? 'reaction' : 'reactions'}${mine ? ', including yours' : ''}`}
              onClick={() => toggle(type)}
            >
              <span aria-hidden="true">{kind.char}</span>
              <span className="csdk-reaction__count" aria-hidden="true">
                {count}
              </span>
            </button>
          </li>
        )
      })}
    </ul>
  )
}

/** The "Add reaction" button of a message's action bar. */
export function ReactionPicker({ message }: { message: MessageView }) {
  const { own, toggle } = useReactions(message)
  return (
    <Popover label="Add reaction" buttonContent={<Icon name="smile" />}>
      {(close) => (
        <fieldset className="csdk-plain csdk-reaction-picker">
          <legend className="csdk-sr-only">Reactions</legend>
          {REACTIONS.map((kind) => (
            <button
              key={kind.type}
              type="button"
              className="csdk-reaction-picker__choice"
              aria-label={`React with ${kind.name}`}
              aria-pressed={own.includes(kind.type)}
              title={kind.name}
              onClick={() => {
                toggle(kind.type)
                close()
              }}
            >
              {kind.char}
            </button>
          ))}
        </fieldset>
      )}
    </Popover>
  )
}
