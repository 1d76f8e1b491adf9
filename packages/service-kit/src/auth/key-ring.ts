import type { JSONWebKeySet } from 'jose'
import type { SigningKey } from './signing-keys.js'

/**
 * The current signing key plus previous keys that still verify. Rotation: `rotate(next)` signs
 * new tokens with `next` while tokens signed by the old key stay valid until they expire; once
 * the longest token lifetime has passed, `retire(oldKid)` drops the old key.
 */
export class KeyRing {
  private currentKey: SigningKey
  private readonly keys = new Map<string, SigningKey>()

  constructor(current: SigningKey, previous: SigningKey[] = []) {
    for (const key of previous) this.keys.set(key.kid, key)
    this.keys.set(current.kid, current)
    this.currentKey = current
  }

  get current(): SigningKey {
    return this.currentKey
  }

  find(kid: string): SigningKey | undefined {
    return this.keys.get(kid)
  }

  rotate(next: SigningKey): void {
    if (this.keys.has(next.kid) && this.keys.get(next.kid) !== next)
      throw new Error(`key id ${next.kid} already in use`)
    this.keys.set(next.kid, next)
    this.currentKey = next
  }

  retire(kid: string): void {
    if (kid === this.currentKey.kid) throw new Error('cannot retire the current signing key')
    this.keys.delete(kid)
  }

  /** Public keys for `/.well-known/jwks.json`; HMAC keys are secret and never listed. */
  jwks(): JSONWebKeySet {
    return { keys: [...this.keys.values()].flatMap((k) => (k.publicJwk ? [k.publicJwk] : [])) }
  }
}
