import { useState } from 'react'
import { EMOJI, type Emoji } from '../text/emoji.js'

/** A filterable grid of emoji; each is a button named for what it shows. */
export function EmojiPicker({ onPick }: { onPick(emoji: Emoji): void }) {
  const [filter, setFilter] = useState('')
  const shown = EMOJI.filter((emoji) => emoji.name.includes(filter.trim().toLowerCase()))
  return (
    <div className="csdk-emoji-picker">
      <input
        type="search"
        className="csdk-input-field"
        aria-label="Search emoji"
        placeholder="Search emoji"
        value={filter}
        onChange={(event) => setFilter(event.target.value)}
      />
      <fieldset className="csdk-plain csdk-emoji-picker__grid">
        <legend className="csdk-sr-only">Emoji</legend>
        {shown.map((emoji) => (
          <button
            key={emoji.name}
            type="button"
            className="csdk-emoji-picker__emoji"
            aria-label={emoji.name}
            title={emoji.name}
            onClick={() => onPick(emoji)}
          >
            {emoji.char}
          </button>
        ))}
        {shown.length === 0 && <p className="csdk-muted">No emoji match.</p>}
      </fieldset>
    </div>
  )
}
