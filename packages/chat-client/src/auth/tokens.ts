/** What a token provider returns: at least a user access token, from your backend. */
export interface ChatTokens {
  /** The user's access token (JWT), sent as `Authorization: Bearer`. */
  accessToken: string
  /** A realtime connection token minted with it; fetched from the API when absent. */
  connectionToken?: string
}

/**
 * Asks your backend for a fresh token set. The client calls it at start, shortly before the
 * access token expires, and again after any 401 (expired or revoked token). A string is taken
 * as the access token.
 */
export type TokenProvider = () => Promise<ChatTokens | string>

/** Refresh this long before `exp`, so a request never leaves with a token about to lapse. */
const EXPIRY_MARGIN_MS = 30_000

/**
 * Holds the current access token and calls the provider when it is missing, expiring, or was
 * refused. Concurrent callers share one provider call.
 */
export class TokenManager {
  private current: { token: string; expiresAt: number } | undefined
  private connectionToken: string | undefined
  private pending: Promise<string> | undefined

  constructor(
    private readonly provider: TokenProvider,
    private readonly now: () => number = Date.now,
  ) {}

  /** A usable access token: the cached one unless it expires within the margin. */
  async accessToken(): Promise<string> {
    const current = this.current
    if (current && current.expiresAt - EXPIRY_MARGIN_MS > this.now()) return current.token
    return this.refresh()
  }

  /** Forces a provider call (after a 401); callers racing here share it. */
  refresh(): Promise<string> {
    this.pending ??= this.load().finally(() => {
      this.pending = undefined
    })
    return this.pending
  }

  /** The connection token the provider handed over with the access token, once, if still valid. */
  takeConnectionToken(): string | undefined {
    const token = this.connectionToken
    this.connectionToken = undefined
    if (!token) return undefined
    return expiryOf(token) - EXPIRY_MARGIN_MS > this.now() ? token : undefined
  }

  private async load(): Promise<string> {
    const result = await this.provider()
    const tokens = typeof result === 'string' ? { accessToken: result } : result
    if (!tokens?.accessToken) throw new TypeError('tokenProvider returned no accessToken')
    this.current = { token: tokens.accessToken, expiresAt: expiryOf(tokens.accessToken) }
    this.connectionToken = tokens.connectionToken
    return tokens.accessToken
  }
}

/** A JWT's claims, read without verifying (the server verifies); undefined when unreadable. */
export function jwtClaims(jwt: string): Record<string, unknown> | undefined {
  try {
    const payload = jwt.split('.')[1] ?? ''
    return JSON.parse(atob(payload.replaceAll('-', '+').replaceAll('_', '/'))) as Record<string, unknown>
  } catch {
    return undefined
  }
}

/** The JWT's `exp` in ms; far future when absent or unreadable. */
export function expiryOf(jwt: string): number {
  const exp = jwtClaims(jwt)?.exp
  return typeof exp === 'number' ? exp * 1000 : Number.POSITIVE_INFINITY
}
