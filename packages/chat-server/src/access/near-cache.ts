/**
 * A small in-process TTL map in front of the shared cache (Redis in production), for values on
 * every request's path that change rarely and whose brief staleness is harmless: it saves a Redis
 * round trip per request. Never use it for anything a revocation or a ban must reach at once.
 * One per ChatContext (tests run several apps in one process); bounded, oldest evicted first.
 */
export class NearCache<T> {
  private readonly entries = new Map<string, { value: T; until: number }>()

  constructor(
    private readonly ttlMs: number,
    private readonly maxEntries = 10_000,
  ) {}

  get(key: string): T | undefined {
    const entry = this.entries.get(key)
    if (!entry) return undefined
    if (entry.until <= Date.now()) {
      this.entries.delete(key)
      return undefined
    }
    return entry.value
  }

  set(key: string, value: T): void {
    if (this.entries.size >= this.maxEntries && !this.entries.has(key)) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(key, { value, until: Date.now() + this.ttlMs })
  }

  delete(key: string): void {
    this.entries.delete(key)
  }
}

/**
 * A NearCache per app, created on first use. It is keyed by the app's shared cache, which the
 * transaction-bound copies of a ChatContext (withTransaction) share with the original.
 */
export function nearCacheFor<T>(ttlMs: number): (ctx: { cache: object }) => NearCache<T> {
  const byApp = new WeakMap<object, NearCache<T>>()
  return ({ cache: owner }) => {
    let cache = byApp.get(owner)
    if (!cache) {
      cache = new NearCache<T>(ttlMs)
      byApp.set(owner, cache)
    }
    return cache
  }
}
