// @vitest-environment jsdom
import { act, renderHook } from '@testing-library/react'
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import type { Quote } from '../lib/types.js'
import { type QuoteRequest, useQuote } from './useQuote.js'

const request = (amount: string): QuoteRequest => ({
  tokenIn: 'ETH',
  tokenOut: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  kind: 'exactIn',
  amount,
  slippage: '0.5',
})
const quoteFor = (amountIn: string, block = 1) =>
  ({ amountIn, amountOut: `${amountIn}0`, blockNumber: block }) as unknown as Quote

/** A fetcher whose answers the test releases by hand, in any order. */
function controlledFetcher() {
  const calls: Array<{
    request: QuoteRequest
    signal: AbortSignal
    resolve: (q: Quote) => void
    reject: (e: Error) => void
  }> = []
  const fetcher = (r: QuoteRequest, signal: AbortSignal) =>
    new Promise<Quote>((resolve, reject) => {
      calls.push({ request: r, signal, resolve, reject })
    })
  return { calls, fetcher }
}

describe('the quote hook', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('waits for a pause in typing and then asks once, for the last amount', async () => {
    const { calls, fetcher } = controlledFetcher()
    const { rerender } = renderHook(({ r }) => useQuote(r, 1, { fetcher, debounceMs: 300 }), {
      initialProps: { r: request('1') },
    })
    for (const amount of ['12', '123', '1234']) {
      act(() => vi.advanceTimersByTime(100))
      rerender({ r: request(amount) })
    }
    act(() => vi.advanceTimersByTime(299))
    expect(calls).toHaveLength(0)
    act(() => vi.advanceTimersByTime(1))
    expect(calls.map((c) => c.request.amount)).toEqual(['1234'])
  })

  it('drops an answer that arrives after a newer request started', async () => {
    const { calls, fetcher } = controlledFetcher()
    const { result, rerender } = renderHook(({ r }) => useQuote(r, 1, { fetcher, debounceMs: 300 }), {
      initialProps: { r: request('1') },
    })
    act(() => vi.advanceTimersByTime(300))
    rerender({ r: request('2') })
    act(() => vi.advanceTimersByTime(300))
    expect(calls).toHaveLength(2)
    expect(calls[0]!.signal.aborted).toBe(true)
    // The newer answer lands first, then the stale one: the stale one must not win.
    await act(async () => calls[1]!.resolve(quoteFor('2')))
    await act(async () => calls[0]!.resolve(quoteFor('1')))
    expect(result.current.quote?.amountIn).toBe('2')
    expect(result.current.loading).toBe(false)
  })

  it('refetches at once on a new block and keeps the old quote on screen meanwhile', async () => {
    const { calls, fetcher } = controlledFetcher()
    const { result, rerender } = renderHook(
      ({ r, block }) => useQuote(r, block, { fetcher, debounceMs: 300 }),
      {
        initialProps: { r: request('5'), block: 1 },
      },
    )
    act(() => vi.advanceTimersByTime(300))
    await act(async () => calls[0]!.resolve(quoteFor('5', 1)))
    rerender({ r: request('5'), block: 2 })
    expect(calls).toHaveLength(2)
    expect(result.current).toMatchObject({ loading: true, quote: { blockNumber: 1 } })
    await act(async () => calls[1]!.resolve(quoteFor('5', 2)))
    expect(result.current.quote).toMatchObject({ blockNumber: 2 })
  })

  it('clears the quote of another amount while the new one is on its way, and reports errors', async () => {
    const { calls, fetcher } = controlledFetcher()
    const { result, rerender } = renderHook(({ r }) => useQuote(r, 1, { fetcher, debounceMs: 300 }), {
      initialProps: { r: request('5') as QuoteRequest | null },
    })
    act(() => vi.advanceTimersByTime(300))
    await act(async () => calls[0]!.resolve(quoteFor('5')))
    rerender({ r: request('6') })
    expect(result.current).toEqual({ quote: null, error: null, loading: true })
    act(() => vi.advanceTimersByTime(300))
    await act(async () => calls[1]!.reject(new Error('no route')))
    expect(result.current.error?.message).toBe('no route')
    rerender({ r: null })
    expect(result.current).toEqual({ quote: null, error: null, loading: false })
  })
})
