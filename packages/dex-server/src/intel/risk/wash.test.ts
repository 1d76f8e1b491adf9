import { describe, expect, it } from 'vitest'
import { findWashTrading, positionChanges, type SwapLeg, type Trade } from './wash.js'

let n = 0
const trade = (trader: string, block: number, side: 'buy' | 'sell', amount: bigint): Trade => ({
  blockNumber: block,
  logIndex: 0,
  txHash: `0x${(++n).toString(16)}`,
  trader,
  pools: ['0xpool'],
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

  it('never flags an active trader whose occasional round trip is lost among other trades', () => {
    const trades = [
      trade('0xg', 1, 'buy', 1000n),
      trade('0xg', 2, 'sell', 1000n),
      trade('0xg', 5, 'buy', 300n),
      trade('0xg', 6, 'sell', 300n),
      ...[10, 11, 12, 13, 14].map((block) => trade('0xg', block, 'buy', 100n * BigInt(block))),
    ]
    // 4 of its 9 trades are round-trip legs: under half of its volume goes nowhere
    expect(findWashTrading(trades, () => undefined)).toEqual([])
    expect(findWashTrading(trades.slice(0, 6), () => undefined)).toEqual([
      expect.objectContaining({ address: '0xg', roundTrips: 2 }),
    ])
  })
})

describe('position changes per transaction', () => {
  const leg = (
    txHash: string,
    logIndex: number,
    pool: string,
    from: string,
    to: string,
    amountIn: bigint,
    amountOut: bigint,
  ): SwapLeg => ({
    blockNumber: 7,
    logIndex,
    txHash,
    trader: '0xbot',
    pool,
    tokenIn: from,
    tokenOut: to,
    amountIn,
    amountOut,
  })

  it('reads a multi-hop route as one trade from its first token to its last', () => {
    const route = [leg('0x1', 0, '0xp1', 'A', 'B', 100n, 50n), leg('0x1', 1, '0xp2', 'B', 'C', 50n, 20n)]
    expect(positionChanges(route)).toEqual([
      expect.objectContaining({
        txHash: '0x1',
        pools: ['0xp1', '0xp2'],
        tokenIn: 'A',
        tokenOut: 'C',
        amountIn: 100n,
        amountOut: 20n,
      }),
    ])
  })

  it('reads a cyclic arbitrage as no trade, so its legs never close a wash round trip', () => {
    const cycle = (tx: string, block: number, a: bigint) =>
      [
        leg(tx, 0, '0xab', 'A', 'B', a, 2n * a),
        leg(tx, 1, '0xbc', 'B', 'C', 2n * a, 3n * a),
        leg(tx, 2, '0xca', 'C', 'A', 3n * a, a + 1n),
      ].map((l) => ({ ...l, blockNumber: block }))
    const back = (tx: string, block: number, a: bigint) =>
      [
        leg(tx, 0, '0xac', 'A', 'C', a, 3n * a),
        leg(tx, 1, '0xcb', 'C', 'B', 3n * a, 2n * a),
        leg(tx, 2, '0xba', 'B', 'A', 2n * a, a + 1n),
      ].map((l) => ({ ...l, blockNumber: block }))
    const legs = [
      ...cycle('0xc1', 1, 10n),
      ...back('0xc2', 3, 10n),
      ...cycle('0xc3', 5, 40n),
      ...back('0xc4', 8, 40n),
    ]
    expect(positionChanges(legs)).toEqual([])
    // read leg by leg, the B→C / C→B legs of the two directions are round trips of equal amounts
    const perLeg = legs.map((l) => ({ ...l, pools: [l.pool] }))
    expect(findWashTrading(perLeg, () => undefined).map((f) => f.address)).toEqual(['0xbot'])
  })
})
