import { useEffect, useRef, useState } from 'react'
import { api, query } from '../lib/api.js'
import type { Quote } from '../lib/types.js'

export interface QuoteRequest {
  tokenIn: string
  tokenOut: string
  kind: 'exactIn' | 'exactOut'
  /** Base units, as a decimal string. */
  amount: string
  slippage: string
  /** The connected wallet: the answer then carries its approval and swap calldata. */
  account?: string | undefined
  expert?: boolean
  /** The deadline is set when the request is sent (now + this), so it never goes stale in the key. */
  deadlineMinutes?: number
}

export interface QuoteState {
  quote: Quote | null
  error: Error | null
  /** A request for the current input is in flight (the quote shown may be the previous block's). */
  loading: boolean
}

export type QuoteFetcher = (request: QuoteRequest, signal: AbortSignal) => Promise<Quote>

export const fetchQuote: QuoteFetcher = (r, signal) =>
  api<Quote>(
    `/v1/quote${query({
      tokenIn: r.tokenIn,
      tokenOut: r.tokenOut,
      [r.kind === 'exactIn' ? 'amountIn' : 'amountOut']: r.amount,
      slippage: r.slippage,
      recipient: r.account,
      expert: r.expert || undefined,
      deadline:
        r.deadlineMinutes === undefined ? undefined : Math.floor(Date.now() / 1000) + r.deadlineMinutes * 60,
    })}`,
    { signal },
  )

export const QUOTE_DEBOUNCE_MS = 300

/**
 * The quote for what the user typed. A new input waits QUOTE_DEBOUNCE_MS of quiet before it is
 * fetched (no request per keystroke) and clears the old quote, which priced another amount. A new
 * block (`refreshKey`) refetches at once and keeps showing the old quote until the new one lands.
 * Only the newest request may set the state: older ones are aborted, and an answer that arrives
 * after a newer request started is dropped.
 */
export function useQuote(
  request: QuoteRequest | null,
  refreshKey: unknown,
  options: { fetcher?: QuoteFetcher; debounceMs?: number } = {},
): QuoteState {
  const fetcher = options.fetcher ?? fetchQuote
  const debounceMs = options.debounceMs ?? QUOTE_DEBOUNCE_MS
  const [state, setState] = useState<QuoteState>({ quote: null, error: null, loading: false })
  const latest = useRef(0)
  const lastKey = useRef<string | null>(null)
  const key = request === null ? null : JSON.stringify(request)
  const fetcherRef = useRef(fetcher)
  fetcherRef.current = fetcher

  // biome-ignore lint/correctness/useExhaustiveDependencies: the key stands for the request; refreshKey only triggers a refetch
  useEffect(() => {
    const id = ++latest.current
    const inputChanged = key !== lastKey.current
    lastKey.current = key
    if (key === null || request === null) {
      setState({ quote: null, error: null, loading: false })
      return
    }
    const controller = new AbortController()
    setState((previous) =>
      inputChanged ? { quote: null, error: null, loading: true } : { ...previous, loading: true },
    )
    const run = () => {
      fetcherRef.current(request, controller.signal).then(
        (quote) => {
          if (id === latest.current) setState({ quote, error: null, loading: false })
        },
        (error: Error) => {
          if (id === latest.current && !controller.signal.aborted)
            setState({ quote: null, error, loading: false })
        },
      )
    }
    const timer = inputChanged ? setTimeout(run, debounceMs) : null
    if (timer === null) run()
    return () => {
      if (timer !== null) clearTimeout(timer)
      controller.abort()
    }
  }, [key, refreshKey, debounceMs])

  return state
}
