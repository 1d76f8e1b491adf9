import { formatUnits, parseUnits } from 'viem'

/** Why a typed amount is not a number the token can hold. */
export type AmountError = 'invalid' | 'too_many_decimals'

export type ParsedAmount = { ok: true; value: bigint } | { ok: false; error: AmountError }

/** The decimal separator of a locale ("." or ","), read from Intl. */
export function decimalSeparator(locale?: string): string {
  const part = new Intl.NumberFormat(locale).formatToParts(1.5).find((p) => p.type === 'decimal')
  return part?.value ?? '.'
}

/**
 * What the amount field keeps of a keystroke: digits and one decimal separator, which may be typed
 * as "." or as the locale's own (both become "."). Anything else is dropped, so pasting "1 000,5"
 * in a French locale gives "1000.5".
 */
export function sanitizeAmountInput(text: string, locale?: string): string {
  const sep = decimalSeparator(locale)
  let out = ''
  let seenPoint = false
  for (const ch of text) {
    if (ch >= '0' && ch <= '9') out += ch
    else if ((ch === '.' || ch === sep) && !seenPoint) {
      seenPoint = true
      out += '.'
    }
  }
  return out.startsWith('.') ? `0${out}` : out
}

/** A sanitized amount in whole units to base units; exact (bigint), never through a float. */
export function parseAmount(text: string, decimals: number): ParsedAmount {
  const trimmed = text.trim()
  if (!/^(\d+\.?\d*|\.\d+)$/.test(trimmed)) return { ok: false, error: 'invalid' }
  const fraction = trimmed.split('.')[1] ?? ''
  if (fraction.length > decimals) return { ok: false, error: 'too_many_decimals' }
  return { ok: true, value: parseUnits(trimmed, decimals) }
}

export interface FormatOptions {
  locale?: string
  /** Significant digits kept in the fraction of amounts below 1 (default 6). */
  significant?: number
  /** Fraction digits kept for amounts of 1 or more (default 4). */
  fractionDigits?: number
}

/**
 * Base units to a locale string, rounded down (so a displayed minimum is never more than the real
 * one). Large amounts keep `fractionDigits`; small ones keep `significant` digits; the integer part
 * is grouped by Intl from the bigint itself, so no precision is lost.
 */
export function formatAmount(value: bigint, decimals: number, options: FormatOptions = {}): string {
  const negative = value < 0n
  const [whole = '0', fraction = ''] = formatUnits(negative ? -value : value, decimals).split('.')
  const integer = BigInt(whole)
  let kept: string
  if (integer > 0n) kept = fraction.slice(0, options.fractionDigits ?? 4)
  else {
    const leadingZeros = fraction.length - fraction.replace(/^0+/, '').length
    kept = fraction.slice(0, leadingZeros + (options.significant ?? 6))
  }
  kept = kept.replace(/0+$/, '')
  const grouped = new Intl.NumberFormat(options.locale, { maximumFractionDigits: 0 }).format(integer)
  const body = kept === '' ? grouped : `${grouped}${decimalSeparator(options.locale)}${kept}`
  return negative ? `-${body}` : body
}

/** An exact decimal string ("1234.5678", as the API sends prices) formatted for a locale. */
export function formatDecimal(text: string, options: FormatOptions = {}): string {
  const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(text.trim())
  if (!match) return text
  const [, sign = '', whole = '0', fraction = ''] = match
  const decimals = fraction.length
  return formatAmount(BigInt(`${sign}${whole}${fraction}`), decimals, options)
}

/** Base units to the plain "123.45" string an input field holds (no grouping, full precision). */
export function toInputString(value: bigint, decimals: number): string {
  return formatUnits(value, decimals)
}

/**
 * How many whole `numerator` units one whole `denominator` unit buys, as an 18-decimal fixed-point
 * bigint (the rate line "1 ETH = 3,012.5 USDC"), computed without floats.
 */
export function unitRate(
  numerator: bigint,
  numeratorDecimals: number,
  denominator: bigint,
  denominatorDecimals: number,
): bigint {
  if (denominator === 0n) return 0n
  return (
    (numerator * 10n ** BigInt(denominatorDecimals) * 10n ** 18n) /
    (denominator * 10n ** BigInt(numeratorDecimals))
  )
}

/** A fraction as the API sends it ("0.052341") to a percent string ("5.2341"), by moving the point. */
export function fractionToPercent(text: string): string {
  const match = /^(-?)(\d+)(?:\.(\d*))?$/.exec(text.trim())
  if (!match) return text
  const [, sign = '', whole = '0', fraction = ''] = match
  const digits = `${whole}${fraction.padEnd(2, '0')}`
  const point = whole.length + 2
  const integer = digits.slice(0, point).replace(/^0+(?=\d)/, '')
  const rest = digits.slice(point)
  return `${sign}${integer}${rest ? `.${rest}` : ''}`
}
