/**
 * Soba DEX under load: the read paths a trader's page calls (pools, tokens, a pool, candles, recent
 * swaps) and quotes over the indexed pools, on the embedded chain with the market simulator trading.
 */

import type { PreparedTarget } from './chat-target.js'
import type { Endpoint } from './http-step.js'

interface Pool {
  address: string
  tokens: { address: string; decimals: number | null }[]
}

export async function prepareDex(baseUrl: string): Promise<PreparedTarget> {
  const reply = (await (await fetch(`${baseUrl}/v1/pools`)).json()) as { pools: Pool[] }
  const pools = reply.pools
  if (pools.length === 0) throw new Error('the DEX has no indexed pools to load')
  const poolOf = (vu: number) => pools[vu % pools.length] as Pool
  const endpoints: Endpoint[] = [
    { name: 'GET /health/live', kind: 'health', weight: 1, method: 'GET', path: () => '/health/live' },
    { name: 'GET /v1/pools', kind: 'api', weight: 2, method: 'GET', path: () => '/v1/pools' },
    { name: 'GET /v1/tokens', kind: 'api', weight: 1, method: 'GET', path: () => '/v1/tokens' },
    {
      name: 'GET /v1/pools/{address}',
      kind: 'api',
      weight: 1,
      method: 'GET',
      path: (vu) => `/v1/pools/${poolOf(vu).address}`,
    },
    {
      name: 'GET /v1/quote',
      kind: 'api',
      weight: 3,
      method: 'GET',
      path: (vu) => {
        const [tokenIn, tokenOut] = poolOf(vu).tokens as [Pool['tokens'][number], Pool['tokens'][number]]
        // a tenth of a whole token in: a small trade, as most quotes are
        const amountIn = 10n ** BigInt(tokenIn.decimals ?? 18) / 10n
        return `/v1/quote?tokenIn=${tokenIn.address}&tokenOut=${tokenOut.address}&amountIn=${amountIn}`
      },
    },
    {
      name: 'GET /v1/candles',
      kind: 'api',
      weight: 1,
      method: 'GET',
      path: (vu) => `/v1/candles?pool=${poolOf(vu).address}&interval=1m&limit=100`,
    },
    { name: 'GET /v1/swaps', kind: 'api', weight: 1, method: 'GET', path: () => '/v1/swaps?limit=50' },
  ]
  return { endpoints }
}
