import type { Cache } from '@platform/service-kit/cache'

/**
 * How long this process may trust a token-state lookup without asking the shared cache again.
 * It bounds how late a revocation made on another node can take effect here when its
 * invalidation message is lost (pub/sub is fire and forget: a reconnecting subscriber misses
 * what was published meanwhile). docs/chat-security.md states it.
 */
export const TOKEN_STATE_TTL_MS = 1000

/** Pub/sub channel on the shared cache that tells every node to drop a user's or a session's state. */
export const TOKEN_STATE_CHANNEL = 'chat:tokens:invalidate'

export type TokenStateInvalidation =
  | { kind: 'user'; appId: string; userId: string }
  | { kind: 'session'; sessionId: string }

const MAX_ENTRIES = 20_000

/**
 * In-process memory of token-state lookups that *accepted* a token: the user's token generation
 * and the sessions known not to be revoked. Every authenticated request needs both, and without
 * this each one costs shared-cache (Redis) calls.
 *
 * Only acceptances are kept: a refusal (a revoked session, a generation that does not match) is
 * always looked up again, so staleness can never refuse a valid token, only let a just-revoked
 * one through inside the bounds below.
 *
 * Bounds, which docs/chat-security.md repeats:
 * - on the node that revokes, the revocation is immediate: `invalidate` runs before the revoking
 *   call returns, and a lookup that was in flight while it ran does not store its (older) answer
 *   (the epoch check);
 * - on other nodes, the invalidation arrives over the cache's pub/sub (milliseconds); if that
 *   message is lost, an entry still lives at most TOKEN_STATE_TTL_MS;
 * - until the subscription is active nothing is stored, so a node never trusts an entry it could
 *   not have heard an invalidation for.
 */
export class TokenStateCache {
  private readonly generations = new Map<string, { gen: number; until: number }>()
  private readonly sessions = new Map<string, number>()
  /** Bumped by every invalidation; a lookup that started before one does not store its answer. */
  private epoch = 0
  private listening = false
  private closed = false
  private readonly subscribed: Promise<void>
  private readonly onMessage = (message: unknown) => this.apply(message as TokenStateInvalidation)

  constructor(
    private readonly cache: Cache,
    private readonly ttlMs = TOKEN_STATE_TTL_MS,
  ) {
    this.subscribed = cache.subscribe(TOKEN_STATE_CHANNEL, this.onMessage).then(
      () => {
        if (!this.closed) this.listening = true
      },
      // without the subscription the near-cache stays off: every lookup goes to the shared cache
      () => {},
    )
  }

  /** Resolves once invalidations are heard (or the subscription failed: then nothing is stored). */
  ready(): Promise<void> {
    return this.subscribed
  }

  /** The current epoch: pass it back to `remember*` so an answer older than an invalidation is dropped. */
  begin(): number {
    return this.epoch
  }

  /** True when this user's tokens of generation `gen` were accepted less than the TTL ago. */
  generationIs(appId: string, userId: string, gen: number): boolean {
    const entry = this.generations.get(`${appId}:${userId}`)
    if (!entry) return false
    if (entry.until <= Date.now()) {
      this.generations.delete(`${appId}:${userId}`)
      return false
    }
    return entry.gen === gen
  }

  /** True when the session was found not revoked less than the TTL ago. */
  sessionLive(sessionId: string): boolean {
    const until = this.sessions.get(sessionId)
    if (until === undefined) return false
    if (until <= Date.now()) {
      this.sessions.delete(sessionId)
      return false
    }
    return true
  }

  rememberGeneration(appId: string, userId: string, gen: number, epoch: number): void {
    if (!this.listening || epoch !== this.epoch) return
    bounded(this.generations)
    this.generations.set(`${appId}:${userId}`, { gen, until: Date.now() + this.ttlMs })
  }

  rememberLiveSession(sessionId: string, epoch: number): void {
    if (!this.listening || epoch !== this.epoch) return
    bounded(this.sessions)
    this.sessions.set(sessionId, Date.now() + this.ttlMs)
  }

  /**
   * Drops the state here at once, then tells the other nodes. Call it after the shared cache
   * holds the new state, so a node that looks up again finds it.
   */
  async invalidate(change: TokenStateInvalidation): Promise<void> {
    this.apply(change)
    await this.cache.publish(TOKEN_STATE_CHANNEL, change)
  }

  private apply(change: TokenStateInvalidation): void {
    this.epoch++
    if (change?.kind === 'user') this.generations.delete(`${change.appId}:${change.userId}`)
    else if (change?.kind === 'session') this.sessions.delete(change.sessionId)
  }

  async close(): Promise<void> {
    this.closed = true
    this.listening = false
    this.generations.clear()
    this.sessions.clear()
    await this.subscribed
    await this.cache.unsubscribe(TOKEN_STATE_CHANNEL, this.onMessage)
  }
}

function bounded(map: Map<string, unknown>): void {
  if (map.size < MAX_ENTRIES) return
  const oldest = map.keys().next().value
  if (oldest !== undefined) map.delete(oldest)
}
