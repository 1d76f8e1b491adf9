import { describe, expect, it } from 'vitest'
import { findCyclicArbitrage, findSandwiches, type SwapRow } from './mev.js'

const swap = (over: Partial<SwapRow>): SwapRow => ({
  blockNumber: 10,
  txIndex: 0,
  logIndex: 0,
  txHash: '0xa',
  from: '0xbot',
  pool: '0xpool',
  tokenIn: '0xusdc',
  tokenOut: '0xweth',
  amountIn: 1000n,
  amountOut: 10n,
  ...over,
})

describe('sandwich classifier', () => {
  it('finds front-run, victim and back-run in one block and pool, with the attacker profit', () => {
    const found = findSandwiches([
      swap({ txHash: '0xf', txIndex: 0 }),
      swap({ txHash: '0xv', txIndex: 1, from: '0xvictim', amountIn: 5000n, amountOut: 48n }),
      swap({
        txHash: '0xb',
        txIndex: 2,
        tokenIn: '0xweth',
        tokenOut: '0xusdc',
        amountIn: 10n,
        amountOut: 1040n,
      }),
    ])
    expect(found).toEqual([
      expect.objectContaining({
        kind: 'sandwich',
        txs: ['0xf', '0xv', '0xb'],
        attacker: '0xbot',
        victim: '0xvictim',
        profit: 40n,
      }),
    ])
  })

  it('ignores a trader who buys and sells around someone else at a loss, or sells a different amount', () => {
    const base = [swap({ txHash: '0xf', txIndex: 0 }), swap({ txHash: '0xv', txIndex: 1, from: '0xvictim' })]
    const loss = swap({
      txHash: '0xb',
      txIndex: 2,
      tokenIn: '0xweth',
      tokenOut: '0xusdc',
      amountIn: 10n,
      amountOut: 990n,
    })
    const otherAmount = swap({
      txHash: '0xb',
      txIndex: 2,
      tokenIn: '0xweth',
      tokenOut: '0xusdc',
      amountIn: 30n,
      amountOut: 3100n,
    })
    expect(findSandwiches([...base, loss])).toEqual([])
    expect(findSandwiches([...base, otherAmount])).toEqual([])
    // no victim in between: a plain round trip
    expect(
      findSandwiches([
        base[0] as SwapRow,
        swap({
          txHash: '0xb',
          txIndex: 1,
          tokenIn: '0xweth',
          tokenOut: '0xusdc',
          amountIn: 10n,
          amountOut: 1040n,
        }),
      ]),
    ).toEqual([])
  })
})

describe('cyclic arbitrage classifier', () => {
  it('finds a transaction whose swaps chain back to the start token with profit', () => {
    const legs = [
      swap({
        logIndex: 1,
        pool: '0xp1',
        tokenIn: '0xusdc',
        tokenOut: '0xweth',
        amountIn: 1000n,
        amountOut: 10n,
      }),
      swap({
        logIndex: 2,
        pool: '0xp2',
        tokenIn: '0xweth',
        tokenOut: '0xdai',
        amountIn: 10n,
        amountOut: 1005n,
      }),
      swap({
        logIndex: 3,
        pool: '0xp3',
        tokenIn: '0xdai',
        tokenOut: '0xusdc',
        amountIn: 1005n,
        amountOut: 1003n,
      }),
    ]
    expect(findCyclicArbitrage(legs)).toEqual([
      expect.objectContaining({
        kind: 'arbitrage',
        txs: ['0xa'],
        profitToken: '0xusdc',
        profit: 3n,
        pools: ['0xp1', '0xp2', '0xp3'],
      }),
    ])
  })

  it('ignores a multi-hop trade that does not come back, and a cycle at a loss', () => {
    const hop = [
      swap({ logIndex: 1, pool: '0xp1', tokenIn: '0xusdc', tokenOut: '0xweth' }),
      swap({
        logIndex: 2,
        pool: '0xp2',
        tokenIn: '0xweth',
        tokenOut: '0xdai',
        amountIn: 10n,
        amountOut: 990n,
      }),
    ]
    expect(findCyclicArbitrage(hop)).toEqual([])
    const losing = [
      ...hop,
      swap({
        logIndex: 3,
        pool: '0xp3',
        tokenIn: '0xdai',
        tokenOut: '0xusdc',
        amountIn: 990n,
        amountOut: 985n,
      }),
    ]
    expect(findCyclicArbitrage(losing)).toEqual([])
  })
})
