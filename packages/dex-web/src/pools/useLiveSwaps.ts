import { useQuery } from '@tanstack/react-query'
import { useEffect, useState } from 'react'
import { api, query } from '../lib/api.js'
import type { Candle, Swap } from '../lib/types.js'

/** About a minute of a busy pool on the embedded chain. */
const KEEP = 50

/**
 * A pool's recent swaps: the last page from /v1/swaps, then each new one from the server-sent
 * /v1/stream as the indexer commits it. Candles of the chosen interval arrive on the same stream.
 * EventSource reconnects by itself; after a reorg the page refetches.
 */
export function useLiveSwaps(pool: string, interval: string, onCandle: (c: Candle) => void) {
  const initial = useQuery({
    queryKey: ['swaps', pool],
    queryFn: () => api<{ swaps: Swap[] }>(`/v1/swaps${query({ pool, limit: KEEP })}`),
  })
  const [live, setLive] = useState<Swap[]>([])
  const [connected, setConnected] = useState(false)
  // biome-ignore lint/correctness/useExhaustiveDependencies: onCandle is read through the latest render; reconnecting on each render would drop events
  useEffect(() => {
    const source = new EventSource(`/v1/stream${query({ channels: 'swaps,candles', pool, interval })}`)
    source.onopen = () => setConnected(true)
    source.onerror = () => setConnected(false)
    source.addEventListener('swaps', (event) => {
      const swap = JSON.parse((event as MessageEvent<string>).data) as Swap
      setLive((previous) => [swap, ...previous].slice(0, KEEP))
    })
    source.addEventListener('candles', (event) =>
      onCandle(JSON.parse((event as MessageEvent<string>).data) as Candle),
    )
    source.addEventListener('reorg', () => {
      setLive([])
      void initial.refetch()
    })
    return () => source.close()
  }, [pool, interval])
  const seen = new Set(live.map((s) => `${s.blockNumber}:${s.logIndex}`))
  const swaps = [
    ...live,
    ...(initial.data?.swaps ?? []).filter((s) => !seen.has(`${s.blockNumber}:${s.logIndex}`)),
  ].slice(0, KEEP)
  return { swaps, connected }
}
