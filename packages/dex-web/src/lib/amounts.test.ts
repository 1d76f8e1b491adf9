import { describe, expect, it } from 'vitest'
import { formatAmount, formatDecimal, parseAmount, sanitizeAmountInput, toInputString } from './amounts.js'

describe('typing an amount', () => {
  it('keeps digits and one decimal point, whatever separator the locale uses', () => {
    expect(sanitizeAmountInput('1a2.3.4', 'en-US')).toBe('12.34')
    expect(sanitizeAmountInput('1 000,5', 'fr-FR')).toBe('1000.5')
    expect(sanitizeAmountInput('.5', 'en-US')).toBe('0.5')
    expect(sanitizeAmountInput('', 'en-US')).toBe('')
  })

  it('parses whole units to exact base units, past what a float can hold', () => {
    expect(parseAmount('0.1', 18)).toEqual({ ok: true, value: 100_000_000_000_000_000n })
    expect(parseAmount('123456789012345678.123456789012345678', 18)).toEqual({
      ok: true,
      value: 123456789012345678123456789012345678n,
    })
    expect(parseAmount('1.', 6)).toEqual({ ok: true, value: 1_000_000n })
  })

  it('refuses more decimals than the token has, and non-numbers', () => {
    expect(parseAmount('0.0000001', 6)).toEqual({ ok: false, error: 'too_many_decimals' })
    expect(parseAmount('1e5', 18)).toEqual({ ok: false, error: 'invalid' })
    expect(parseAmount('', 18)).toEqual({ ok: false, error: 'invalid' })
    expect(parseAmount('-1', 18)).toEqual({ ok: false, error: 'invalid' })
  })
})

describe('showing an amount', () => {
  it('groups the integer part for the locale and keeps four decimals on large amounts', () => {
    expect(formatAmount(1_234_567_891_234n, 6, { locale: 'en-US' })).toBe('1,234,567.8912')
    expect(formatAmount(1_234_567_891_234n, 6, { locale: 'de-DE' })).toBe('1.234.567,8912')
  })

  it('rounds down, never up, so a minimum shown is never more than the real one', () => {
    expect(formatAmount(1_999_999n, 6, { locale: 'en-US', fractionDigits: 2 })).toBe('1.99')
  })

  it('keeps significant digits of small amounts instead of showing zero', () => {
    expect(formatAmount(1_234_567n, 18, { locale: 'en-US' })).toBe('0.00000000000123456')
    expect(formatAmount(0n, 18, { locale: 'en-US' })).toBe('0')
  })

  it('formats an amount beyond Number.MAX_SAFE_INTEGER exactly', () => {
    expect(formatAmount(2n ** 112n, 0, { locale: 'en-US' })).toBe(
      '5,192,296,858,534,827,628,530,496,329,220,096',
    )
  })

  it('formats decimal strings from the API and round-trips an input', () => {
    expect(formatDecimal('3012.123456789', { locale: 'en-US' })).toBe('3,012.1234')
    expect(formatDecimal('-0.5', { locale: 'en-US' })).toBe('-0.5')
    expect(toInputString(100_000_000_000_000_000n, 18)).toBe('0.1')
  })
})

describe('the rate between two amounts', () => {
  it('prices one whole unit of each side in the other, across decimals', async () => {
    const { unitRate } = await import('./amounts.js')
    // 0.1 ETH (18 decimals) for 301.25 USDC (6 decimals).
    expect(formatAmount(unitRate(301_250_000n, 6, 10n ** 17n, 18), 18, { locale: 'en-US' })).toBe('3,012.5')
    expect(formatAmount(unitRate(10n ** 17n, 18, 301_250_000n, 6), 18, { locale: 'en-US' })).toBe(
      '0.00033195',
    )
    expect(unitRate(1n, 0, 0n, 0)).toBe(0n)
  })
})

describe('a fraction as a percent', () => {
  it('moves the decimal point two places without a float', async () => {
    const { fractionToPercent } = await import('./amounts.js')
    expect(fractionToPercent('0.052341')).toBe('5.2341')
    expect(fractionToPercent('1.5')).toBe('150')
    expect(fractionToPercent('0')).toBe('0')
    expect(fractionToPercent('-0.001')).toBe('-0.1')
  })
})
