import { describe, expect, it } from 'vitest'
import { type Currency, ETH, resolveCurrency } from './currency.js'
import { readSwapUrl, writeSwapUrl } from './swap-url.js'

const USDC: Currency = {
  kind: 'token',
  address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
  symbol: 'USDC',
  name: 'USD Coin',
  decimals: 6,
  listed: true,
}
const IMPORTED: Currency = {
  ...USDC,
  address: '0x00000000000000000000000000000000000000aa',
  symbol: 'USDC',
  listed: false,
}

describe('swap URL parameters', () => {
  it('reads the Uniswap parameters, defaulting exactField to input', () => {
    expect(readSwapUrl('?inputCurrency=ETH&outputCurrency=USDC&exactAmount=0.1')).toEqual({
      inputCurrency: 'ETH',
      outputCurrency: 'USDC',
      exactAmount: '0.1',
      exactField: 'input',
    })
    expect(readSwapUrl('?exactField=OUTPUT&exactAmount=5').exactField).toBe('output')
  })

  it('resolves ETH, a listed symbol and an address, but not an imported token by its symbol', () => {
    const tokens = [ETH, USDC, IMPORTED]
    expect(resolveCurrency('eth', tokens)).toBe(ETH)
    expect(resolveCurrency('usdc', tokens)).toBe(USDC)
    expect(resolveCurrency(USDC.kind === 'token' ? USDC.address.toLowerCase() : '', tokens)).toBe(USDC)
    expect(resolveCurrency('0x00000000000000000000000000000000000000aa', tokens)).toBe(IMPORTED)
    expect(resolveCurrency('0x00000000000000000000000000000000000000bb', tokens)).toBeNull()
    expect(resolveCurrency('NOPE', tokens)).toBeNull()
  })

  it('writes the state back, leaving out an empty amount', () => {
    expect(
      writeSwapUrl({ inputCurrency: 'ETH', outputCurrency: 'USDC', exactAmount: '0.1', exactField: 'input' }),
    ).toBe('/swap?inputCurrency=ETH&outputCurrency=USDC&exactAmount=0.1&exactField=input')
    expect(
      writeSwapUrl({ inputCurrency: 'ETH', outputCurrency: null, exactAmount: '', exactField: 'output' }),
    ).toBe('/swap?inputCurrency=ETH')
  })
})
