import { createHash, timingSafeEqual } from 'node:crypto'
import { randomBase62 } from './base62.js'

/** 43 base62 characters ≈ 256 bits of entropy. */
const SECRET_LENGTH = 43
/** The leading characters of the secret double as a public, loggable lookup id. */
const ID_LENGTH = 8

export interface GeneratedApiKey {
  /** Shown to the user once: `<prefix>_<random base62>`. */
  key: string
  /** Public lookup id (`<prefix>_<first 8 chars>`): store it in clear to find the row. */
  id: string
  /** SHA-256 (hex) of the full key: the only form stored. */
  hash: string
}

const PREFIX = /^[a-z][a-z0-9]{1,15}$/

/**
 * A random API key with a readable prefix (e.g. `sk_live`-style scanners can find leaked keys).
 * A fast hash is right here: the key has 256 bits of entropy, so there is nothing to brute-force,
 * unlike passwords.
 */
export function generateApiKey(prefix: string): GeneratedApiKey {
  if (!PREFIX.test(prefix)) throw new Error('API key prefix must be 2-16 lowercase letters/digits')
  const secret = randomBase62(SECRET_LENGTH)
  const key = `${prefix}_${secret}`
  return { key, id: `${prefix}_${secret.slice(0, ID_LENGTH)}`, hash: hashApiKey(key) }
}

export function hashApiKey(key: string): string {
  return createHash('sha256').update(key, 'utf8').digest('hex')
}

/** The lookup id of a presented key, or undefined when it is not shaped like one of ours. */
export function apiKeyId(presented: string): string | undefined {
  const match = /^([a-z][a-z0-9]{1,15})_([0-9A-Za-z]+)$/.exec(presented)
  if (!match || match[2]!.length !== SECRET_LENGTH) return undefined
  return `${match[1]}_${match[2]!.slice(0, ID_LENGTH)}`
}

/** Compares digests in constant time, so response timing reveals nothing about the stored hash. */
export function verifyApiKey(presented: string, storedHash: string): boolean {
  const expected = Buffer.from(storedHash, 'hex')
  const actual = createHash('sha256').update(presented, 'utf8').digest()
  return expected.length === actual.length && timingSafeEqual(expected, actual)
}
