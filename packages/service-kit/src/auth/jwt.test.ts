import { SignJWT } from 'jose'
import { describe, expect, it } from 'vitest'
import { signJwt, verifyJwt } from './jwt.js'
import { KeyRing } from './key-ring.js'
import {
  exportPrivateJwk,
  generateAsymmetricKey,
  hmacKey,
  importPrivateJwk,
  type SigningKey,
} from './signing-keys.js'

const secret = 'a-test-secret-that-is-long-enough-for-hs256'

const makers: [string, (kid: string) => Promise<SigningKey>][] = [
  ['HS256', async (kid) => hmacKey(kid, `${secret}-${kid}`)],
  ['ES256', (kid) => generateAsymmetricKey('ES256', kid)],
  ['EdDSA', (kid) => generateAsymmetricKey('EdDSA', kid)],
]

describe.each(makers)('JWT with %s', (alg, make) => {
  it('signs and verifies with kid, iat, exp, aud, iss and sub', async () => {
    const ring = new KeyRing(await make('k1'))
    const token = await signJwt(
      ring,
      { role: 'admin' },
      { expiresIn: '15m', audience: 'chat', issuer: 'kit', subject: 'u1' },
    )
    const header = JSON.parse(Buffer.from(token.split('.')[0]!, 'base64url').toString())
    expect(header).toMatchObject({ alg, kid: 'k1' })
    const payload = await verifyJwt(ring, token, { audience: 'chat', issuer: 'kit' })
    expect(payload).toMatchObject({ role: 'admin', aud: 'chat', iss: 'kit', sub: 'u1' })
    expect(payload.exp! - payload.iat!).toBe(900)
  })

  it('keeps verifying tokens of the previous key after rotation until it is retired', async () => {
    const ring = new KeyRing(await make('old'))
    const oldToken = await signJwt(ring, {}, { expiresIn: 60 })
    ring.rotate(await make('new'))
    const newToken = await signJwt(ring, {}, { expiresIn: 60 })
    expect(JSON.parse(Buffer.from(newToken.split('.')[0]!, 'base64url').toString()).kid).toBe('new')
    await expect(verifyJwt(ring, oldToken)).resolves.toBeDefined()
    ring.retire('old')
    await expect(verifyJwt(ring, oldToken)).rejects.toMatchObject({ code: 'token_unknown_key' })
    await expect(verifyJwt(ring, newToken)).resolves.toBeDefined()
    expect(() => ring.retire('new')).toThrow(/current/)
  })

  it('refuses expired tokens, wrong audience or issuer, and tampering', async () => {
    const ring = new KeyRing(await make('k'))
    const expired = await signJwt(ring, {}, { expiresIn: '-1 minute' })
    await expect(verifyJwt(ring, expired)).rejects.toMatchObject({ code: 'token_expired' })
    const token = await signJwt(ring, { admin: false }, { expiresIn: 60, audience: 'chat', issuer: 'kit' })
    await expect(verifyJwt(ring, token, { audience: 'dex' })).rejects.toMatchObject({
      code: 'token_claim_invalid',
    })
    await expect(verifyJwt(ring, token, { issuer: 'evil' })).rejects.toMatchObject({
      code: 'token_claim_invalid',
    })
    const [h, , s] = token.split('.')
    const forged = `${h}.${Buffer.from(JSON.stringify({ admin: true, exp: 9e9, iat: 1 })).toString('base64url')}.${s}`
    await expect(verifyJwt(ring, forged)).rejects.toMatchObject({ code: 'token_invalid' })
    await expect(verifyJwt(ring, 'not.a.jwt')).rejects.toMatchObject({ code: 'token_invalid' })
  })
})

describe('JWT key handling', () => {
  it('refuses a token whose header claims another algorithm for a known kid', async () => {
    const ring = new KeyRing(await generateAsymmetricKey('ES256', 'es'))
    const hmacWithPublicKey = await new SignJWT({})
      .setProtectedHeader({ alg: 'HS256', kid: 'es' })
      .setIssuedAt()
      .setExpirationTime('1m')
      .sign(new TextEncoder().encode(JSON.stringify(ring.jwks().keys[0])))
    await expect(verifyJwt(ring, hmacWithPublicKey)).rejects.toMatchObject({ code: 'token_invalid' })
  })

  it('publishes only public keys in the JWKS', async () => {
    const ring = new KeyRing(await generateAsymmetricKey('EdDSA', 'ed'), [hmacKey('hs', secret)])
    const jwks = ring.jwks()
    expect(jwks.keys).toHaveLength(1)
    expect(jwks.keys[0]).toMatchObject({ kid: 'ed', alg: 'EdDSA', use: 'sig' })
    expect(jwks.keys[0]).not.toHaveProperty('d')
  })

  it('round-trips an asymmetric key through a private JWK (as stored in config)', async () => {
    const original = await generateAsymmetricKey('ES256', 'cfg')
    const restored = await importPrivateJwk('cfg', 'ES256', await exportPrivateJwk(original))
    const token = await signJwt(new KeyRing(original), { x: 1 }, { expiresIn: 60 })
    await expect(verifyJwt(new KeyRing(restored), token)).resolves.toMatchObject({ x: 1 })
  })

  it('rejects short HMAC secrets', () => {
    expect(() => hmacKey('short', 'too-short')).toThrow(/32 bytes/)
  })
})
