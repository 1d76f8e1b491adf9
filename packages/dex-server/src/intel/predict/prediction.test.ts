import { describe, expect, it } from 'vitest'
import { formatPrice } from './prediction.js'

describe('forecast prices in JSON', () => {
  it('are decimal strings with 10 significant digits and no exponent, tiny and huge alike', () => {
    expect(formatPrice(3012.123456789)).toBe('3012.123457')
    expect(formatPrice(0.000166666666666)).toBe('0.0001666666667')
    expect(formatPrice(1.5e-9)).toBe('0.0000000015')
    expect(formatPrice(60000)).toBe('60000')
    expect(formatPrice(2.5e21)).toBe('2500000000000000000000')
    expect(() => formatPrice(Number.NaN)).toThrow()
  })
})
