// Soba DEX load test for k6: `k6 run -e BASE_URL=… deploy/load/k6/dex.js`. Each VU browses as a
// trader's page does (health, pools, one pool, candles, recent swaps) and asks for a quote, once a second.
import { check, fail, sleep } from 'k6'
import http from 'k6/http'
import { baseUrl, stages, thresholds } from './lib/profile.js'

const BASE = baseUrl('http://127.0.0.1:3000')

/** @type {import('k6/options').Options} */
export const options = { stages, thresholds }

/** @typedef {{ address: string, tokens: { address: string, decimals: number | null }[] }} Pool */

export function setup() {
  const response = http.get(`${BASE}/v1/pools`, { tags: { kind: 'setup' } })
  if (response.status !== 200) fail(`GET /v1/pools: ${response.status}`)
  const pools = /** @type {{ pools: Pool[] }} */ (response.json()).pools
  if (pools.length === 0) fail('the DEX has no indexed pools')
  return { pools }
}

/** @param {{ pools: Pool[] }} data */
export default function (data) {
  const pool = data.pools[(__VU + __ITER) % data.pools.length]
  const [tokenIn, tokenOut] = pool.tokens
  const api = { tags: { kind: 'api' } }
  check(http.get(`${BASE}/health/live`, { tags: { kind: 'health' } }), {
    'health 200': (r) => r.status === 200,
  })
  check(http.get(`${BASE}/v1/pools`, api), { 'pools 200': (r) => r.status === 200 })
  check(http.get(`${BASE}/v1/pools/${pool.address}`, api), { 'pool 200': (r) => r.status === 200 })
  // a tenth of a whole token in: a small trade, as most quotes are (decimals ≤ 18: exact in a double)
  const amountIn = `1${'0'.repeat(Math.max(0, (tokenIn.decimals ?? 18) - 1))}`
  const quote = http.get(
    `${BASE}/v1/quote?tokenIn=${tokenIn.address}&tokenOut=${tokenOut.address}&amountIn=${amountIn}`,
    api,
  )
  check(quote, { 'quote 200': (r) => r.status === 200 })
  check(http.get(`${BASE}/v1/candles?pool=${pool.address}&interval=1m&limit=100`, api), {
    'candles 200': (r) => r.status === 200,
  })
  check(http.get(`${BASE}/v1/swaps?limit=50`, api), { 'swaps 200': (r) => r.status === 200 })
  sleep(1)
}
