import { describe, expect, it } from 'vitest'
import { findWashTrading, type Trade } from './wash.js'

let n = 0
const trade = (trader: string, block: number, side: 'buy' | 'sell', amount: bigint): Trade => ({
  blockNumber: block,
  logIndex: 0,
  txHash: `0x${(++n).toString(16)}`,
  trader,
  pool: '0xpool',
  tokenIn: side === 'buy' ? '0xusdc' : '0xsoba',
  tokenOut: side === 'buy' ? '0xsoba' : '0xusdc',
  amountIn: side === 'buy' ? 500n : amount,
  amountOut: side === 'buy' ? amount : 499n,
})

describe('wash trading', () => {
  it('flags an address that sells back exactly what it bought, again and again', () => {
    const trades = [
      trade('0xa', 1, 'buy', 1000n),
      trade('0xa', 2, 'sell', 1000n),
      trade('0xa', 5, 'buy', 777n),
      trade('0xa', 6, 'sell', 777n),
    ]
    expect(findWashTrading(trades, () => undefined)).toEqual([
      expect.objectContaining({ address: '0xa', roundTrips: 2 }),
    ])
  })

  it('flags ring members who hand the token on and sell it back, when they share a cluster', () => {
    const trades = [
      trade('0xa', 1, 'buy', 1000n),
      trade('0xb', 3, 'sell', 1000n),
      trade('0xb', 4, 'buy', 555n),
      trade('0xa', 6, 'sell', 555n),
    ]
    const ring = (address: string) => (['0xa', '0xb'].includes(address) ? 'ring' : undefined)
    expect(
      findWashTrading(trades, ring)
        .map((f) => f.address)
        .sort(),
    ).toEqual(['0xa', '0xb'])
    expect(findWashTrading(trades, () => undefined)).toEqual([])
  })

  it('never flags a trader who only buys or only sells, nor a same-block round trip (MEV)', () => {
    const onlyBuys = [
      trade('0xc', 1, 'buy', 100n),
      trade('0xc', 2, 'buy', 100n),
      trade('0xc', 3, 'buy', 100n),
    ]
    const buyerAndSeller = [
      trade('0xd', 1, 'buy', 100n),
      trade('0xe', 2, 'sell', 100n),
      trade('0xd', 3, 'buy', 200n),
      trade('0xe', 4, 'sell', 200n),
    ]
    const group = () => 'same-cluster'
    expect(findWashTrading(onlyBuys, group)).toEqual([])
    // in one cluster, 0xd only buys and 0xe only sells: neither closes a round trip by both buying and selling
    expect(findWashTrading(buyerAndSeller, group)).toEqual([])
    const sameBlock = [
      trade('0xf', 1, 'buy', 100n),
      trade('0xf', 1, 'sell', 100n),
      trade('0xf', 2, 'buy', 50n),
      trade('0xf', 2, 'sell', 50n),
    ]
    expect(findWashTrading(sameBlock, () => undefined)).toEqual([])
  })
})
