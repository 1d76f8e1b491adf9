import { useCallback, useRef, useSyncExternalStore } from 'react'
import { useChatClient } from './use-chat-client.js'

/**
 * Reads a slice of the client's store and re-renders when that slice changes. The selector may
 * build new arrays or objects: its result is kept while it stays shallow-equal to the last one,
 * which is what useSyncExternalStore needs (a stable snapshot between changes) and what keeps an
 * unrelated store change from re-rendering this component.
 */
export function useStoreSlice<T>(
  select: (client: ReturnType<typeof useChatClient>) => T,
  deps: unknown[],
): T {
  const client = useChatClient()
  const cache = useRef<{ value: T } | null>(null)
  // biome-ignore lint/correctness/useExhaustiveDependencies: the caller names what the selector reads
  const getSnapshot = useCallback(() => {
    const next = select(client)
    if (cache.current && shallowEqual(cache.current.value, next)) return cache.current.value
    cache.current = { value: next }
    return next
  }, [client, ...deps])
  const subscribe = useCallback((onChange: () => void) => client.subscribe(onChange), [client])
  return useSyncExternalStore(subscribe, getSnapshot, getSnapshot)
}

/** Equal when the same value, or arrays / plain objects whose items are the same values. */
export function shallowEqual(a: unknown, b: unknown): boolean {
  if (Object.is(a, b)) return true
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false
  if (Array.isArray(a) !== Array.isArray(b)) return false
  const keysA = Object.keys(a)
  const keysB = Object.keys(b)
  if (keysA.length !== keysB.length) return false
  return keysA.every((key) =>
    Object.is((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]),
  )
}
