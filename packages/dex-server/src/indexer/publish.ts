import type { IndexBatch } from './batch.js'

/** Normalized DEX events for downstream analytics (amounts as decimal strings, times ISO UTC). */
export type DexEvent =
  | {
      type: 'pool.created'
      chainId: number
      pool: string
      token0: string
      token1: string
      blockNumber: number
      txHash: string
    }
  | {
      type: 'swap'
      chainId: number
      pool: string
      blockNumber: number
      logIndex: number
      txHash: string
      time: string
      sender: string
      recipient: string
      amount0In: string
      amount1In: string
      amount0Out: string
      amount1Out: string
      reserve0: string
      reserve1: string
    }
  | {
      type: 'liquidity.mint' | 'liquidity.burn'
      chainId: number
      pool: string
      blockNumber: number
      logIndex: number
      txHash: string
      time: string
      sender: string
      amount0: string
      amount1: string
    }
  | { type: 'reorg'; chainId: number; forkBlock: number | null }

export interface DexEventSink {
  publish(events: DexEvent[]): Promise<void>
}

export function normalizeBatch(chainId: number, batch: IndexBatch): DexEvent[] {
  const events: Array<DexEvent & { order: number }> = []
  const order = (block: number, log: number) => block * 1_000_000 + log
  for (const p of batch.pools) {
    events.push({
      type: 'pool.created',
      chainId,
      pool: p.pair,
      token0: p.token0,
      token1: p.token1,
      blockNumber: p.blockNumber,
      txHash: p.txHash,
      order: order(p.blockNumber, p.logIndex),
    })
  }
  for (const s of batch.swaps) {
    events.push({
      type: 'swap',
      chainId,
      pool: s.pool,
      blockNumber: s.blockNumber,
      logIndex: s.logIndex,
      txHash: s.txHash,
      time: new Date(s.time * 1000).toISOString(),
      sender: s.sender,
      recipient: s.recipient,
      amount0In: s.amount0In.toString(),
      amount1In: s.amount1In.toString(),
      amount0Out: s.amount0Out.toString(),
      amount1Out: s.amount1Out.toString(),
      reserve0: s.reserve0.toString(),
      reserve1: s.reserve1.toString(),
      order: order(s.blockNumber, s.logIndex),
    })
  }
  for (const l of batch.liquidity) {
    events.push({
      type: l.kind === 'mint' ? 'liquidity.mint' : 'liquidity.burn',
      chainId,
      pool: l.pool,
      blockNumber: l.blockNumber,
      logIndex: l.logIndex,
      txHash: l.txHash,
      time: new Date(l.time * 1000).toISOString(),
      sender: l.sender,
      amount0: l.amount0.toString(),
      amount1: l.amount1.toString(),
      order: order(l.blockNumber, l.logIndex),
    })
  }
  return events.sort((a, b) => a.order - b.order).map(({ order: _order, ...event }) => event as DexEvent)
}
