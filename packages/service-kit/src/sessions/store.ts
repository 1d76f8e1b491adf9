/**
 * Storage for sessions, chosen by config (Redis or in-memory). It only ever sees opaque
 * ciphertext and HMAC'd user keys; all logic (limits, rotation, signals) lives in the manager,
 * so both drivers behave the same by construction.
 */
export interface SessionStore {
  /** Writes a session value and lists it in the user's index, ordered by `createdAt`. */
  save(id: string, userKey: string, createdAt: number, envelope: string, ttlMs: number): Promise<void>
  load(id: string): Promise<string | undefined>
  remove(id: string, userKey: string): Promise<void>
  /** Live session ids of a user, oldest first. Drops index entries whose session expired. */
  userSessions(userKey: string): Promise<string[]>
  /** Records that `id` was rotated out. Only the first caller wins (false = already rotated). */
  setTombstone(id: string, envelope: string, ttlMs: number): Promise<boolean>
  loadTombstone(id: string): Promise<string | undefined>
  /** Adds a member to a per-user set; returns whether it was new and how many members existed. */
  remember(setKey: string, member: string, ttlMs: number): Promise<{ added: boolean; sizeBefore: number }>
  /** Counts an event in a fixed window starting at its first event; returns the count. */
  countInWindow(counterKey: string, windowMs: number): Promise<number>
  /** Drops expired entries the driver cannot expire natively. */
  cleanup(): Promise<void>
  close(): Promise<void>
}
