import { useDisplayName } from '../hooks/use-display-name.js'
import { useTyping } from '../hooks/use-typing.js'

/** "bob is typing…" for a channel (or a thread), announced politely to screen readers. */
export function TypingIndicator({
  channelId,
  parentId,
}: {
  channelId: string
  parentId?: string | undefined
}) {
  const { typingUserIds } = useTyping(channelId, parentId)
  const nameOf = useDisplayName()
  const names = typingUserIds.map(nameOf)
  return (
    <div className="csdk-typing" aria-live="polite">
      {names.length > 0 && (
        <>
          <span className="csdk-typing__dots" aria-hidden="true">
            <span />
            <span />
            <span />
          </span>
          {typingText(names)}
        </>
      )}
    </div>
  )
}

export function typingText(names: readonly string[]): string {
  if (names.length === 1) return `${names[0]} is typing…`
  if (names.length === 2) return `${names[0]} and ${names[1]} are typing…`
  return `${names[0]} and ${names.length - 1} others are typing…`
}
