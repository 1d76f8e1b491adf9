import { encodeAbiParameters, stringToHex } from 'viem'
import { describe, expect, it } from 'vitest'
import { decodeDecimals, decodeText } from './token-metadata.js'

describe('token metadata decoding', () => {
  it('reads ABI strings and bytes32 strings', () => {
    expect(decodeText(encodeAbiParameters([{ type: 'string' }], ['USD Coin']))).toBe('USD Coin')
    expect(decodeText(stringToHex('MKR', { size: 32 }))).toBe('MKR')
  })

  it('caps long strings and strips control and format characters', () => {
    expect(decodeText(encodeAbiParameters([{ type: 'string' }], ['X'.repeat(5000)]))).toBe('X'.repeat(64))
    expect(decodeText(encodeAbiParameters([{ type: 'string' }], ['US\u0000D\u202eC\n']))).toBe('USDC')
  })

  it('gives null for empty, truncated, out-of-bounds or non-UTF-8 answers', () => {
    expect(decodeText(null)).toBeNull()
    expect(decodeText('0x')).toBeNull()
    expect(decodeText(encodeAbiParameters([{ type: 'string' }], ['']))).toBeNull()
    const offsetPastEnd = `0x${'0'.repeat(60)}1000${'0'.repeat(62)}20`
    expect(decodeText(offsetPastEnd)).toBeNull()
    const lengthPastEnd = `0x${'0'.repeat(62)}20${'0'.repeat(60)}ffff${'41'.repeat(32)}`
    expect(decodeText(lengthPastEnd)).toBeNull()
    const invalidUtf8 = `0x${'0'.repeat(62)}20${'0'.repeat(62)}04fffefdfc${'0'.repeat(56)}`
    expect(decodeText(invalidUtf8)).toBeNull()
  })

  it('accepts decimals up to 77 and rejects absurd or missing ones', () => {
    expect(decodeDecimals(encodeAbiParameters([{ type: 'uint8' }], [6]))).toBe(6)
    expect(decodeDecimals(encodeAbiParameters([{ type: 'uint256' }], [77n]))).toBe(77)
    expect(decodeDecimals(encodeAbiParameters([{ type: 'uint256' }], [255n]))).toBeNull()
    expect(decodeDecimals(encodeAbiParameters([{ type: 'uint256' }], [10n ** 30n]))).toBeNull()
    expect(decodeDecimals('0x')).toBeNull()
  })
})
