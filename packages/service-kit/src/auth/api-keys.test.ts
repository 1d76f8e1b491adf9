import { describe, expect, it } from 'vitest'
import { apiKeyId, generateApiKey, hashApiKey, verifyApiKey } from './api-keys.js'
import { randomBase62 } from './base62.js'

describe('API keys', () => {
  it('are prefixed base62 with a public id and a SHA-256 hash', () => {
    const generated = generateApiKey('sk')
    expect(generated.key).toMatch(/^sk_[0-9A-Za-z]{43}$/)
    expect(generated.key.startsWith(generated.id)).toBe(true)
    expect(generated.id).toMatch(/^sk_[0-9A-Za-z]{8}$/)
    expect(generated.hash).toBe(hashApiKey(generated.key))
    expect(generated.hash).toMatch(/^[0-9a-f]{64}$/)
    expect(generated.hash).not.toContain(generated.key.slice(3))
  })

  it('verify the right key and refuse others', () => {
    const { key, hash } = generateApiKey('pk')
    expect(verifyApiKey(key, hash)).toBe(true)
    expect(verifyApiKey(`${key.slice(0, -1)}x`, hash)).toBe(false)
    expect(verifyApiKey(generateApiKey('pk').key, hash)).toBe(false)
    expect(verifyApiKey(key, 'not-hex')).toBe(false)
  })

  it('are unique and their id can be recovered from the presented key', () => {
    const keys = new Set(Array.from({ length: 200 }, () => generateApiKey('sk').key))
    expect(keys.size).toBe(200)
    const generated = generateApiKey('chat')
    expect(apiKeyId(generated.key)).toBe(generated.id)
    expect(apiKeyId('chat_short')).toBeUndefined()
    expect(apiKeyId('Bearer something')).toBeUndefined()
  })

  it('refuse bad prefixes', () => {
    expect(() => generateApiKey('Bad_Prefix')).toThrow()
    expect(() => generateApiKey('')).toThrow()
  })

  it('use every base62 character', () => {
    const seen = new Set(randomBase62(20_000))
    expect(seen.size).toBe(62)
  })
})
