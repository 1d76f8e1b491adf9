import { describe, expect, it } from 'vitest'
import { buildTokenList } from './token-list.js'

const USDC = '0x5fbdb2315678afecb367f032d93f642f64180aa3'
const WETH = '0xe7f1725e7734ce288f8367e1bb143e90bb3f0512'

describe('the token list', () => {
  it('lists tokens in the Uniswap token-list shape, checksummed and sorted by symbol', () => {
    const list = buildTokenList(
      31337,
      [
        { address: WETH, symbol: 'WETH', name: 'Wrapped Ether', decimals: 18 },
        { address: USDC, symbol: 'USDC', name: 'USD Coin', decimals: 6 },
      ],
      new Date('2026-12-03T00:00:00Z'),
    )
    expect(list).toEqual({
      name: 'Soba DEX',
      timestamp: '2026-12-03T00:00:00.000Z',
      version: { major: 1, minor: 2, patch: 0 },
      keywords: ['soba', 'default'],
      tokens: [
        {
          chainId: 31337,
          address: '0x5FbDB2315678afecb367f032d93F642f64180aa3',
          name: 'USD Coin',
          symbol: 'USDC',
          decimals: 6,
        },
        {
          chainId: 31337,
          address: '0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512',
          name: 'Wrapped Ether',
          symbol: 'WETH',
          decimals: 18,
        },
      ],
    })
  })

  it('leaves out tokens whose metadata the schema would reject, and duplicates', () => {
    const list = buildTokenList(1, [
      { address: USDC, symbol: 'USDC', name: 'USD Coin', decimals: 6 },
      { address: USDC.toUpperCase().replace('0X', '0x'), symbol: 'USDC', name: 'USD Coin', decimals: 6 },
      { address: WETH, symbol: 'x'.repeat(21), name: 'Long', decimals: 18 },
      { address: '0x0000000000000000000000000000000000000001', symbol: 'NODEC', name: 'n', decimals: null },
      {
        address: '0x0000000000000000000000000000000000000002',
        symbol: '<script>',
        name: 'evil',
        decimals: 18,
      },
    ])
    expect(list.tokens.map((t) => t.symbol)).toEqual(['USDC'])
  })

  it('falls back to the symbol when the name does not fit', () => {
    const list = buildTokenList(1, [{ address: USDC, symbol: 'ODD', name: 'bad\nname', decimals: 6 }])
    expect(list.tokens[0]?.name).toBe('ODD')
  })
})
