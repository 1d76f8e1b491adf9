import { randomUUID } from 'node:crypto'
import { type CryptoKey, exportJWK, generateKeyPair, importJWK, type JWK } from 'jose'

export type JwtAlgorithm = 'HS256' | 'ES256' | 'EdDSA'

/** A key the ring can sign and/or verify with; `kid` travels in every token header. */
export interface SigningKey {
  kid: string
  alg: JwtAlgorithm
  signKey: CryptoKey | Uint8Array
  verifyKey: CryptoKey | Uint8Array
  /** Public half for asymmetric keys, published in a JWKS so others can verify. */
  publicJwk?: JWK
}

/** HS256 needs at least as many key bytes as the hash output; shorter secrets are guessable. */
const MIN_HMAC_BYTES = 32

export function hmacKey(kid: string, secret: string | Uint8Array): SigningKey {
  const bytes = typeof secret === 'string' ? new TextEncoder().encode(secret) : secret
  if (bytes.length < MIN_HMAC_BYTES)
    throw new Error(`HS256 key ${kid} must be at least ${MIN_HMAC_BYTES} bytes`)
  return { kid, alg: 'HS256', signKey: bytes, verifyKey: bytes }
}

/** A fresh ES256 or EdDSA (Ed25519) key pair, e.g. for tests or a first deployment. */
export async function generateAsymmetricKey(
  alg: 'ES256' | 'EdDSA',
  kid: string = randomUUID(),
): Promise<SigningKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true })
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' }
  return { kid, alg, signKey: privateKey, verifyKey: publicKey, publicJwk }
}

/** Imports a private JWK from configuration (its public half is derived by dropping `d`). */
export async function importPrivateJwk(kid: string, alg: 'ES256' | 'EdDSA', jwk: JWK): Promise<SigningKey> {
  const { d: _private, ...publicPart } = jwk
  const signKey = (await importJWK(jwk, alg)) as CryptoKey
  const verifyKey = (await importJWK(publicPart, alg)) as CryptoKey
  return { kid, alg, signKey, verifyKey, publicJwk: { ...publicPart, kid, alg, use: 'sig' } }
}

/** Exports the private JWK of a generated key so it can be stored as a secret. */
export async function exportPrivateJwk(key: SigningKey): Promise<JWK> {
  if (key.signKey instanceof Uint8Array) throw new Error('HS256 keys are raw secrets, not JWKs')
  return { ...(await exportJWK(key.signKey)), kid: key.kid, alg: key.alg }
}
