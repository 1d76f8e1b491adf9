import { MemoryCache } from '@platform/service-kit/cache'
import { afterEach, describe, expect, it, vi } from 'vitest'
import { TOKEN_STATE_CHANNEL, TOKEN_STATE_TTL_MS, TokenStateCache } from './token-state.js'

/** The token-state near-cache alone: what it remembers, and every way it must forget. */
const caches: MemoryCache[] = []
afterEach(async () => {
  vi.useRealTimers()
  for (const cache of caches.splice(0)) await cache.close()
})

async function listeningState(cache = new MemoryCache()) {
  caches.push(cache)
  const state = new TokenStateCache(cache)
  // remember* is a no-op until the subscription is active: wait for it
  await vi.waitFor(() => {
    state.rememberLiveSession('probe', state.begin())
    expect(state.sessionLive('probe')).toBe(true)
  })
  return { cache, state }
}

describe('token-state near-cache', () => {
  it('remembers an accepted generation only for that generation', async () => {
    const { state } = await listeningState()
    state.rememberGeneration('app', 'ann', 3, state.begin())
    expect(state.generationIs('app', 'ann', 3)).toBe(true)
    expect(state.generationIs('app', 'ann', 2)).toBe(false)
    expect(state.generationIs('app', 'ann', 4)).toBe(false)
    expect(state.generationIs('app', 'ben', 3)).toBe(false)
  })

  it('stores nothing before its invalidation subscription is active', () => {
    const cache = new MemoryCache()
    caches.push(cache)
    let subscribed: () => void = () => {}
    vi.spyOn(cache, 'subscribe').mockImplementation(
      () =>
        new Promise<void>((resolve) => {
          subscribed = resolve
        }),
    )
    const state = new TokenStateCache(cache)
    state.rememberLiveSession('s1', state.begin())
    state.rememberGeneration('app', 'ann', 1, state.begin())
    expect(state.sessionLive('s1')).toBe(false)
    expect(state.generationIs('app', 'ann', 1)).toBe(false)
    subscribed()
  })

  it('an invalidation made here applies at once', async () => {
    const { state } = await listeningState()
    state.rememberGeneration('app', 'ann', 1, state.begin())
    state.rememberLiveSession('s1', state.begin())
    const published = state.invalidate({ kind: 'session', sessionId: 's1' })
    // before the publish even completed
    expect(state.sessionLive('s1')).toBe(false)
    await published
    await state.invalidate({ kind: 'user', appId: 'app', userId: 'ann' })
    expect(state.generationIs('app', 'ann', 1)).toBe(false)
  })

  it('a lookup that was in flight during an invalidation does not store its older answer', async () => {
    const { state } = await listeningState()
    const epoch = state.begin() // lookup starts, reads "live" from the shared cache...
    await state.invalidate({ kind: 'session', sessionId: 's1' }) // ...the session is revoked meanwhile
    state.rememberLiveSession('s1', epoch) // ...and the lookup completes with what it read
    expect(state.sessionLive('s1')).toBe(false)
    state.rememberGeneration('app', 'ann', 1, epoch)
    expect(state.generationIs('app', 'ann', 1)).toBe(false)
  })

  it("another node's invalidation arrives over the cache's pub/sub", async () => {
    const { cache, state: here } = await listeningState()
    const elsewhere = new TokenStateCache(cache)
    here.rememberLiveSession('s1', here.begin())
    here.rememberGeneration('app', 'ann', 1, here.begin())
    vi.useFakeTimers({ toFake: ['Date'] }) // frozen: the TTL cannot be what forgets
    await elsewhere.invalidate({ kind: 'session', sessionId: 's1' })
    await elsewhere.invalidate({ kind: 'user', appId: 'app', userId: 'ann' })
    // real timers poll (vi.waitFor would advance the fake clock past the TTL)
    for (let i = 0; i < 100 && (here.sessionLive('s1') || here.generationIs('app', 'ann', 1)); i++)
      await new Promise((resolve) => setTimeout(resolve, 10))
    expect(here.sessionLive('s1')).toBe(false)
    expect(here.generationIs('app', 'ann', 1)).toBe(false)
    await elsewhere.close()
  })

  it('forgets on its own after the TTL when no invalidation arrives', async () => {
    const { state } = await listeningState()
    vi.useFakeTimers({ toFake: ['Date'] })
    state.rememberLiveSession('s1', state.begin())
    state.rememberGeneration('app', 'ann', 1, state.begin())
    vi.setSystemTime(Date.now() + TOKEN_STATE_TTL_MS - 1)
    expect(state.sessionLive('s1')).toBe(true)
    vi.setSystemTime(Date.now() + 1)
    expect(state.sessionLive('s1')).toBe(false)
    expect(state.generationIs('app', 'ann', 1)).toBe(false)
  })

  it('ignores malformed invalidation messages', async () => {
    const { cache, state } = await listeningState()
    state.rememberLiveSession('s1', state.begin())
    await cache.publish(TOKEN_STATE_CHANNEL, null)
    await cache.publish(TOKEN_STATE_CHANNEL, { kind: 'other' })
    await new Promise((resolve) => setImmediate(resolve))
    expect(state.sessionLive('s1')).toBe(true)
  })

  it('after close it stores nothing and its handler is gone', async () => {
    const { cache, state } = await listeningState()
    const unsubscribe = vi.spyOn(cache, 'unsubscribe')
    await state.close()
    state.rememberLiveSession('s1', state.begin())
    expect(state.sessionLive('s1')).toBe(false)
    expect(unsubscribe).toHaveBeenCalledWith(TOKEN_STATE_CHANNEL, expect.any(Function))
  })
})
