import type { KeyObject } from 'node:crypto'

/** The claims of a token whose signature was already checked, and the key that checked it. */
export interface VerifiedClaims {
  secret: KeyObject
  sub: string
  sid: string
  gen: number
  use: string
  exp: number
}

const MAX_ENTRIES = 20_000

/**
 * Remembers tokens whose HMAC signature verified, so a client that calls with the same access
 * token again skips the signature check (WebCrypto HMAC through jose was ~20% of the CPU of a
 * message send). Only the signature is remembered: expiry, the signing key still existing, the
 * user's token generation and the session's revocation are checked on every call, so revocation
 * stays immediate. Keyed by the whole token string, so a hit is byte-for-byte the verified token;
 * bounded, oldest evicted first.
 */
export class VerifiedTokens {
  private readonly entries = new Map<string, VerifiedClaims>()

  get(token: string, secret: KeyObject): VerifiedClaims | undefined {
    const entry = this.entries.get(token)
    // a different key under the same kid cannot happen (kids are fresh UUIDs), but never trust it
    return entry && entry.secret === secret ? entry : undefined
  }

  set(token: string, claims: VerifiedClaims): void {
    if (this.entries.size >= MAX_ENTRIES) {
      const oldest = this.entries.keys().next().value
      if (oldest !== undefined) this.entries.delete(oldest)
    }
    this.entries.set(token, claims)
  }

  delete(token: string): void {
    this.entries.delete(token)
  }
}
