import { useId } from 'react'
import { useDisplayName } from '../hooks/use-display-name.js'
import { useSearch } from '../hooks/use-search.js'
import { formatClock, formatDay } from '../text/time.js'
import type { MessageView } from '../types.js'
import { Icon } from './icons.js'

export interface SearchPanelProps {
  /** Search one channel; all your channels when absent. */
  channelId?: string | undefined
  onOpenResult(message: MessageView): void
  onClose?(): void
}

/** Full-text search over messages you can read; results open where they were said. */
export function SearchPanel(props: SearchPanelProps) {
  const { query, setQuery, results, loading, error } = useSearch({ channelId: props.channelId })
  const headingId = useId()
  return (
    <section className="csdk-panel" aria-labelledby={headingId}>
      <header className="csdk-panel__header">
        <h2 id={headingId} className="csdk-panel__title">
          Search
        </h2>
        {props.onClose && (
          <button
            type="button"
            className="csdk-icon-button"
            aria-label="Close search"
            onClick={props.onClose}
          >
            <Icon name="close" />
          </button>
        )}
      </header>
      <form className="csdk-search__form" onSubmit={(event) => event.preventDefault()}>
        <input
          type="search"
          className="csdk-input-field"
          aria-label="Search messages"
          placeholder="Search messages"
          value={query}
          // biome-ignore lint/a11y/noAutofocus: the panel opens because the person asked to search
          autoFocus
          onChange={(event) => setQuery(event.target.value)}
        />
      </form>
      <div className="csdk-panel__body" aria-live="polite" aria-busy={loading}>
        {error && (
          <p className="csdk-state csdk-state--error" role="alert">
            {error}
          </p>
        )}
        {!error && query.trim().length >= 2 && !loading && results.length === 0 && (
          <p className="csdk-state">No messages match “{query.trim()}”.</p>
        )}
        {query.trim().length < 2 && <p className="csdk-state">Type at least two letters.</p>}
        {results.length > 0 && (
          <ul className="csdk-search__results" aria-label="Search results">
            {results.map((message) => (
              <li key={message.id}>
                <SearchResult message={message} onOpen={() => props.onOpenResult(message)} />
              </li>
            ))}
          </ul>
        )}
      </div>
    </section>
  )
}

function SearchResult({ message, onOpen }: { message: MessageView; onOpen(): void }) {
  const nameOf = useDisplayName()
  return (
    <button type="button" className="csdk-search__result" onClick={onOpen}>
      <span className="csdk-search__meta">
        <strong>{nameOf(message.userId)}</strong> in #{message.channelId} · {formatDay(message.createdAt)}{' '}
        {formatClock(message.createdAt)}
      </span>
      <span className="csdk-search__text">{message.text}</span>
    </button>
  )
}
