import type { SessionStore } from './store.js'

interface Timed<T> {
  value: T
  expiresAt: number
}

/** Embedded driver. Expiry is checked on read and swept by `cleanup()`, which runs on its own timer. */
export class MemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, Timed<string>>()
  private readonly tombstones = new Map<string, Timed<string>>()
  private readonly indexes = new Map<string, Map<string, number>>()
  private readonly sets = new Map<string, Timed<Set<string>>>()
  private readonly counters = new Map<string, Timed<number>>()
  private readonly sweeper: NodeJS.Timeout

  constructor(sweepIntervalMs = 60_000) {
    // unref: the sweeper must never keep a process alive on its own.
    this.sweeper = setInterval(() => void this.cleanup(), sweepIntervalMs).unref()
  }

  private static live<T>(map: Map<string, Timed<T>>, key: string): Timed<T> | undefined {
    const entry = map.get(key)
    if (entry && entry.expiresAt <= Date.now()) {
      map.delete(key)
      return undefined
    }
    return entry
  }

  async save(id: string, userKey: string, createdAt: number, envelope: string, ttlMs: number): Promise<void> {
    this.sessions.set(id, { value: envelope, expiresAt: Date.now() + ttlMs })
    const index = this.indexes.get(userKey) ?? new Map<string, number>()
    index.set(id, createdAt)
    this.indexes.set(userKey, index)
  }

  async load(id: string): Promise<string | undefined> {
    return MemorySessionStore.live(this.sessions, id)?.value
  }

  async remove(id: string, userKey: string): Promise<void> {
    this.sessions.delete(id)
    this.indexes.get(userKey)?.delete(id)
  }

  async userSessions(userKey: string): Promise<string[]> {
    const index = this.indexes.get(userKey)
    if (!index) return []
    for (const id of index.keys()) if (!MemorySessionStore.live(this.sessions, id)) index.delete(id)
    return [...index.entries()].sort((a, b) => a[1] - b[1] || a[0].localeCompare(b[0])).map(([id]) => id)
  }

  async setTombstone(id: string, envelope: string, ttlMs: number): Promise<boolean> {
    if (MemorySessionStore.live(this.tombstones, id)) return false
    this.tombstones.set(id, { value: envelope, expiresAt: Date.now() + ttlMs })
    return true
  }

  async loadTombstone(id: string): Promise<string | undefined> {
    return MemorySessionStore.live(this.tombstones, id)?.value
  }

  async remember(
    setKey: string,
    member: string,
    ttlMs: number,
  ): Promise<{ added: boolean; sizeBefore: number }> {
    const entry = MemorySessionStore.live(this.sets, setKey) ?? { value: new Set<string>(), expiresAt: 0 }
    const sizeBefore = entry.value.size
    const added = !entry.value.has(member)
    entry.value.add(member)
    entry.expiresAt = Date.now() + ttlMs
    this.sets.set(setKey, entry)
    return { added, sizeBefore }
  }

  async countInWindow(counterKey: string, windowMs: number): Promise<number> {
    const entry = MemorySessionStore.live(this.counters, counterKey)
    if (!entry) {
      this.counters.set(counterKey, { value: 1, expiresAt: Date.now() + windowMs })
      return 1
    }
    entry.value++
    return entry.value
  }

  async cleanup(): Promise<void> {
    for (const map of [this.sessions, this.tombstones, this.sets, this.counters] as Map<
      string,
      Timed<unknown>
    >[]) {
      for (const key of map.keys()) MemorySessionStore.live(map, key)
    }
    for (const [userKey, index] of this.indexes) {
      for (const id of index.keys()) if (!this.sessions.has(id)) index.delete(id)
      if (index.size === 0) this.indexes.delete(userKey)
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper)
    this.sessions.clear()
    this.tombstones.clear()
    this.indexes.clear()
    this.sets.clear()
    this.counters.clear()
  }
}
