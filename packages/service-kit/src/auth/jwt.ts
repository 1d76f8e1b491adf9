import { decodeProtectedHeader, errors, type JWTPayload, jwtVerify, SignJWT } from 'jose'
import type { KeyRing } from './key-ring.js'

export interface SignOptions {
  /** Lifetime: seconds, or a jose time span such as '15m'. */
  expiresIn: number | string
  audience?: string | string[]
  issuer?: string
  subject?: string
}

export interface VerifyOptions {
  audience?: string | string[]
  issuer?: string | string[]
  /** Allowed clock skew between issuer and verifier, in seconds (default 5). */
  clockToleranceSec?: number
}

/** Stable reasons a token was refused, so routes can map them to problem codes. */
export type JwtErrorCode = 'token_expired' | 'token_invalid' | 'token_unknown_key' | 'token_claim_invalid'

export class JwtError extends Error {
  constructor(
    readonly code: JwtErrorCode,
    message: string,
  ) {
    super(message)
    this.name = 'JwtError'
  }
}

/** Signs with the ring's current key and puts its `kid` in the header. Sets iat and exp. */
export async function signJwt(ring: KeyRing, claims: JWTPayload, options: SignOptions): Promise<string> {
  const key = ring.current
  let jwt = new SignJWT(claims)
    .setProtectedHeader({ alg: key.alg, kid: key.kid, typ: 'JWT' })
    .setIssuedAt()
    .setExpirationTime(typeof options.expiresIn === 'number' ? `${options.expiresIn}s` : options.expiresIn)
  if (options.audience) jwt = jwt.setAudience(options.audience)
  if (options.issuer) jwt = jwt.setIssuer(options.issuer)
  if (options.subject) jwt = jwt.setSubject(options.subject)
  return jwt.sign(key.signKey)
}

/**
 * Verifies signature, exp/nbf, and aud/iss when given. The key is chosen by `kid` and the
 * algorithm is pinned to that key's, which rules out algorithm-confusion attacks.
 */
export async function verifyJwt(
  ring: KeyRing,
  token: string,
  options: VerifyOptions = {},
): Promise<JWTPayload> {
  let kid: string | undefined
  try {
    kid = decodeProtectedHeader(token).kid
  } catch {
    throw new JwtError('token_invalid', 'malformed token')
  }
  const key = kid ? ring.find(kid) : undefined
  if (!key) throw new JwtError('token_unknown_key', `unknown key id ${kid ?? '(none)'}`)
  try {
    const { payload } = await jwtVerify(token, key.verifyKey, {
      algorithms: [key.alg],
      clockTolerance: options.clockToleranceSec ?? 5,
      requiredClaims: ['exp', 'iat'],
      ...(options.audience ? { audience: options.audience } : {}),
      ...(options.issuer ? { issuer: options.issuer } : {}),
    })
    return payload
  } catch (error) {
    if (error instanceof errors.JWTExpired) throw new JwtError('token_expired', 'token expired')
    if (error instanceof errors.JWTClaimValidationFailed) {
      throw new JwtError('token_claim_invalid', `claim ${error.claim} invalid: ${error.reason}`)
    }
    throw new JwtError('token_invalid', 'token signature or format invalid')
  }
}
