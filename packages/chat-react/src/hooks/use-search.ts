import { useEffect, useState } from 'react'
import { toMessageView } from '../message-view.js'
import type { MessageView } from '../types.js'
import { useChatClient } from './use-chat-client.js'

/** Wait this long after the last keystroke before asking the server. */
const DEBOUNCE_MS = 250
const MIN_QUERY = 2

/**
 * Full-text message search as you type: debounced, the previous request cancelled when the query
 * changes, results best first. Results are a view of one query, so they live here, not in the store.
 */
export function useSearch(options: { channelId?: string | undefined } = {}) {
  const client = useChatClient()
  const [query, setQuery] = useState('')
  const [results, setResults] = useState<MessageView[]>([])
  const [loading, setLoading] = useState(false)
  const [error, setError] = useState<string | null>(null)
  const { channelId } = options

  useEffect(() => {
    const q = query.trim()
    if (q.length < MIN_QUERY) {
      setResults([])
      setLoading(false)
      setError(null)
      return
    }
    const abort = new AbortController()
    setLoading(true)
    const timer = setTimeout(() => {
      client.api
        .search({ q, limit: 20, offset: 0, ...(channelId ? { channelId } : {}) }, { signal: abort.signal })
        .then(
          (page) => {
            setResults(page.results.map((result) => toMessageView(result.message)))
            setError(null)
          },
          (cause: unknown) => {
            if (!abort.signal.aborted) setError(cause instanceof Error ? cause.message : String(cause))
          },
        )
        .finally(() => {
          if (!abort.signal.aborted) setLoading(false)
        })
    }, DEBOUNCE_MS)
    return () => {
      clearTimeout(timer)
      abort.abort()
    }
  }, [client, query, channelId])

  return { query, setQuery, results, loading, error }
}
