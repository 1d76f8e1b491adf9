/** A message handler for pub/sub. Messages are JSON values, decoded before delivery. */
export type MessageHandler = (message: unknown, channel: string) => void

export interface SetOptions {
  /** Time to live in milliseconds; omitted = no expiry. */
  ttlMs?: number
  /** Only write when the key does not exist yet (Redis NX). Lets callers build locks and idempotency keys. */
  ifAbsent?: boolean
}

/**
 * Key-value store with TTL plus pub/sub. Values are JSON: what you `set` comes back from `get`
 * as a structurally equal copy, never the same object (the in-memory driver serializes too, so
 * both drivers behave alike).
 */
export interface Cache {
  get<T = unknown>(key: string): Promise<T | undefined>
  /** Returns false only when `ifAbsent` was set and the key already existed. */
  set(key: string, value: unknown, options?: SetOptions): Promise<boolean>
  /** Returns true when a key was removed. */
  del(key: string): Promise<boolean>
  /** Atomically adds `by` (default 1) to an integer value, creating it at 0; returns the new value. */
  incr(key: string, by?: number): Promise<number>
  /** Sets a TTL on an existing key; false when the key does not exist. */
  expire(key: string, ttlMs: number): Promise<boolean>
  /** Remaining TTL in ms; undefined when the key is missing, null when it never expires. */
  ttl(key: string): Promise<number | null | undefined>
  publish(channel: string, message: unknown): Promise<void>
  /** Resolves once the subscription is active, so a following publish is delivered. */
  subscribe(channel: string, handler: MessageHandler): Promise<void>
  /** Removes one handler, or every handler of the channel when none is given. */
  unsubscribe(channel: string, handler?: MessageHandler): Promise<void>
  close(): Promise<void>
}
