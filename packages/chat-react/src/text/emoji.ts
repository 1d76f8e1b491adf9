/**
 * The reactions the components offer (the server stores a reaction by name; these map names to
 * what a person sees and hears) and a small emoji set for the message box. Small on purpose: a
 * full emoji database would outweigh the rest of the SDK.
 */
export interface Emoji {
  char: string
  /** Spoken name, used as the accessible label and for filtering. */
  name: string
}

export interface ReactionKind extends Emoji {
  /** The name stored by the server. */
  type: string
}

export const REACTIONS: readonly ReactionKind[] = [
  { type: 'like', char: '👍', name: 'thumbs up' },
  { type: 'heart', char: '❤️', name: 'heart' },
  { type: 'laugh', char: '😂', name: 'laughing' },
  { type: 'tada', char: '🎉', name: 'party' },
  { type: 'wow', char: '😮', name: 'surprised' },
  { type: 'sad', char: '😢', name: 'sad' },
  { type: 'eyes', char: '👀', name: 'eyes' },
  { type: 'fire', char: '🔥', name: 'fire' },
]

const BY_TYPE = new Map(REACTIONS.map((reaction) => [reaction.type, reaction]))

/** What to show for a reaction name; a name this set does not know is shown as `:name:`. */
export function reactionKind(type: string): ReactionKind {
  return BY_TYPE.get(type) ?? { type, char: `:${type}:`, name: type }
}

export const EMOJI: readonly Emoji[] = [
  ...REACTIONS,
  { char: '😀', name: 'grinning' },
  { char: '😊', name: 'smiling' },
  { char: '😉', name: 'winking' },
  { char: '😍', name: 'heart eyes' },
  { char: '🤔', name: 'thinking' },
  { char: '😅', name: 'sweat smile' },
  { char: '🙃', name: 'upside down' },
  { char: '😎', name: 'cool' },
  { char: '🥳', name: 'celebrating' },
  { char: '😴', name: 'sleeping' },
  { char: '🙏', name: 'thank you' },
  { char: '👏', name: 'clapping' },
  { char: '🙌', name: 'raised hands' },
  { char: '👋', name: 'waving' },
  { char: '💯', name: 'hundred' },
  { char: '✅', name: 'check' },
  { char: '❌', name: 'cross' },
  { char: '⚠️', name: 'warning' },
  { char: '🚀', name: 'rocket' },
  { char: '☕', name: 'coffee' },
  { char: '🍕', name: 'pizza' },
  { char: '🐛', name: 'bug' },
  { char: '💡', name: 'idea' },
  { char: '📌', name: 'pin' },
].map(({ char, name }) => ({ char, name }))
