import { randomBytes } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { parseSessionKeys, SessionCipher } from './cipher.js'

const k1 = { id: 'k1', key: randomBytes(32) }
const k2 = { id: 'k2', key: randomBytes(32) }

describe('session cipher', () => {
  it('round-trips and names the key in the envelope', () => {
    const cipher = new SessionCipher([k1])
    const envelope = cipher.encrypt('{"secret":"s3cr3t"}', 'session:a')
    expect(envelope.startsWith('v1.k1.')).toBe(true)
    expect(envelope).not.toContain('s3cr3t')
    expect(cipher.decrypt(envelope, 'session:a')).toBe('{"secret":"s3cr3t"}')
  })

  it('uses a fresh IV each time', () => {
    const cipher = new SessionCipher([k1])
    expect(cipher.encrypt('same', 'x')).not.toBe(cipher.encrypt('same', 'x'))
  })

  it('decrypts old-key envelopes after rotation and encrypts with the new key', () => {
    const old = new SessionCipher([k1]).encrypt('data', 'ad')
    const rotated = new SessionCipher([k2, k1])
    expect(rotated.decrypt(old, 'ad')).toBe('data')
    expect(SessionCipher.keyIdOf(rotated.encrypt('data', 'ad'))).toBe('k2')
    expect(() => new SessionCipher([k2]).decrypt(old, 'ad')).toThrow(/unknown session key/)
  })

  it('refuses tampering and a different associated data', () => {
    const cipher = new SessionCipher([k1])
    const envelope = cipher.encrypt('data', 'session:a')
    expect(() => cipher.decrypt(envelope, 'session:b')).toThrow()
    const parts = envelope.split('.')
    parts[4] = Buffer.from('other').toString('base64url')
    expect(() => cipher.decrypt(parts.join('.'), 'session:a')).toThrow()
  })

  it('parses key config and rejects wrong key sizes', () => {
    const keys = parseSessionKeys(`new:${k2.key.toString('base64')}, old:${k1.key.toString('base64')}`)
    expect(keys.map((k) => k.id)).toEqual(['new', 'old'])
    expect(() => new SessionCipher([{ id: 'short', key: randomBytes(16) }])).toThrow(/32 bytes/)
  })
})
