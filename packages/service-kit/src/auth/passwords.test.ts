import { describe, expect, it } from 'vitest'
import { hashPassword, needsRehash, verifyPassword } from './passwords.js'

// Cheap parameters keep the suite fast; the default (N=2^17) is exercised once below.
const cheap = { N: 2 ** 12, r: 8, p: 1 }

describe('scrypt passwords', () => {
  it('encode parameters and salt, and verify only the right password', async () => {
    const encoded = await hashPassword('correct horse battery staple', cheap)
    expect(encoded).toMatch(/^scrypt\$N=4096,r=8,p=1\$[A-Za-z0-9+/=]+\$[A-Za-z0-9+/=]+$/)
    expect(encoded).not.toContain('correct horse')
    expect(await verifyPassword('correct horse battery staple', encoded)).toBe(true)
    expect(await verifyPassword('correct horse battery stapler', encoded)).toBe(false)
  })

  it('salt every hash differently', async () => {
    expect(await hashPassword('same', cheap)).not.toBe(await hashPassword('same', cheap))
  })

  it('refuse garbage instead of throwing', async () => {
    expect(await verifyPassword('x', 'plain-text-password')).toBe(false)
    expect(await verifyPassword('x', '')).toBe(false)
  })

  it('flag hashes made with weaker parameters for rehash', async () => {
    const weak = await hashPassword('pw', cheap)
    expect(needsRehash(weak)).toBe(true)
    expect(needsRehash(weak, cheap)).toBe(false)
  })

  it('use the OWASP baseline by default', async () => {
    const encoded = await hashPassword('pässword')
    expect(encoded.startsWith('scrypt$N=131072,r=8,p=1$')).toBe(true)
    expect(needsRehash(encoded)).toBe(false)
  })

  it('normalize Unicode so visually equal passwords match', async () => {
    const composed = await hashPassword('p\u00e4ss', cheap)
    expect(await verifyPassword('pa\u0308ss', composed)).toBe(true)
  })
})
