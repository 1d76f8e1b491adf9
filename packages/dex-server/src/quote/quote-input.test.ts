import { createApp } from '@platform/service-kit/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { PoolState } from '../router/graph.js'
import { staticPools } from '../router/graph-source.js'
import { quoteRoutes } from './routes.js'
import { NO_TAX, TransferTaxes } from './transfer-tax.js'

const E18 = 10n ** 18n
const A = '0x1111111111111111111111111111111111111111'
const B = '0x2222222222222222222222222222222222222222'
const C = '0x3333333333333333333333333333333333333333'
const ISOLATED = '0x4444444444444444444444444444444444444444'
const FAR = '0x5555555555555555555555555555555555555555'
const WETH = '0x6666666666666666666666666666666666666666'
const pools: PoolState[] = [
  {
    address: '0x00000000000000000000000000000000000000a1',
    token0: A,
    token1: B,
    reserve0: 1000n * E18,
    reserve1: 1000n * E18,
  },
  {
    address: '0x00000000000000000000000000000000000000a2',
    token0: B,
    token1: C,
    reserve0: 1000n * E18,
    reserve1: 1000n * E18,
  },
  {
    address: '0x00000000000000000000000000000000000000a3',
    token0: ISOLATED,
    token1: FAR,
    reserve0: E18,
    reserve1: E18,
  },
]
const NOW = 1_800_000_000n
/** These tokens are addresses without contracts: known untaxed, so no probe reaches the chain. */
const untaxed = new TransferTaxes({ request: async () => Promise.reject(new Error('no chain')) })
for (const token of [A, B, C, ISOLATED, FAR, WETH]) untaxed.measured.set(token.toLowerCase(), NO_TAX)

describe('bad quote input gets 4xx problem+json with a stable code', () => {
  const app = createApp({ service: 'dex-quote-input-test', openapi: { title: 'test' } })
  beforeAll(async () => {
    const ready = await app
    await ready.register(async (scope) =>
      quoteRoutes(scope as any, {
        registry: staticPools(pools),
        // Input errors must be answered before anything touches the chain.
        chain: {
          chainId: 1,
          rpc: { request: async () => Promise.reject(new Error('the chain must not be reached')) },
          contracts: { router: '0x7777777777777777777777777777777777777777', weth: WETH },
        },
        now: () => NOW,
        transferTaxes: untaxed,
      }),
    )
    await ready.ready()
  })
  afterAll(async () => (await app).close())

  async function problem(query: Record<string, string>) {
    const res = await (await app).inject({ method: 'GET', url: '/v1/quote', query })
    expect(res.headers['content-type']).toContain('application/problem+json')
    return { status: res.statusCode, ...res.json() }
  }
  const base = { tokenIn: A, tokenOut: B }

  it.each([
    [
      'malformed address',
      { tokenIn: '0x1234', tokenOut: B, amountIn: '1' },
      400,
      'invalid_address',
      '/tokenIn',
    ],
    [
      'bad EIP-55 checksum',
      { tokenIn: A, tokenOut: '0xa0B86991c6218b36c1d19D4a2e9Eb0cE3606eB48', amountIn: '1' },
      400,
      'invalid_address',
      '/tokenOut',
    ],
    [
      'unknown token',
      { tokenIn: A, tokenOut: '0x9999999999999999999999999999999999999999', amountIn: '1' },
      400,
      'unknown_token',
      '/tokenOut',
    ],
    [
      'same token',
      { tokenIn: A, tokenOut: A.toUpperCase().replace('0X', '0x'), amountIn: '1' },
      400,
      'same_token',
      '/tokenOut',
    ],
    ['zero amount', { ...base, amountIn: '0' }, 400, 'amount_zero', '/amountIn'],
    ['negative amount', { ...base, amountIn: '-5' }, 400, 'invalid_amount', '/amountIn'],
    ['fractional amount', { ...base, amountOut: '1.5' }, 400, 'invalid_amount', '/amountOut'],
    ['amount at 2^112', { ...base, amountIn: (2n ** 112n).toString() }, 400, 'amount_overflow', '/amountIn'],
    [
      'amount beyond uint256',
      { ...base, amountIn: (2n ** 256n).toString() },
      400,
      'amount_overflow',
      '/amountIn',
    ],
    ['both amounts', { ...base, amountIn: '1', amountOut: '1' }, 400, 'amount_required', '/amountIn'],
    ['no amount', { ...base }, 400, 'amount_required', '/amountIn'],
    [
      'slippage zero',
      { ...base, amountIn: '1000', slippage: '0' },
      400,
      'slippage_out_of_range',
      '/slippage',
    ],
    [
      'slippage above 50%',
      { ...base, amountIn: '1000', slippage: '50.01' },
      400,
      'slippage_out_of_range',
      '/slippage',
    ],
    [
      'slippage not a number',
      { ...base, amountIn: '1000', slippage: '-1' },
      400,
      'invalid_slippage',
      '/slippage',
    ],
    [
      'expired deadline',
      { ...base, amountIn: '1000', deadline: String(NOW - 1n) },
      400,
      'deadline_expired',
      '/deadline',
    ],
    [
      'deadline now',
      { ...base, amountIn: '1000', deadline: String(NOW) },
      400,
      'deadline_expired',
      '/deadline',
    ],
    [
      'deadline a year ahead',
      { ...base, amountIn: '1000', deadline: String(NOW + 366n * 86400n) },
      400,
      'deadline_out_of_range',
      '/deadline',
    ],
    [
      'bad recipient',
      { ...base, amountIn: '1000', recipient: 'vitalik.eth' },
      400,
      'invalid_address',
      '/recipient',
    ],
  ] as const)('%s', async (_name, query, status, code, path) => {
    const body = await problem(query as Record<string, string>)
    expect(body.status).toBe(status)
    expect(body.code).toBe(code)
    expect(body.errors?.[0]?.path).toBe(path)
  })

  it('documents the quote and liquidity routes in the OpenAPI document', async () => {
    const res = await (await app).inject({ method: 'GET', url: '/openapi.json' })
    expect(res.statusCode).toBe(200)
    expect(Object.keys(res.json().paths)).toEqual(
      expect.arrayContaining(['/v1/quote', '/v1/liquidity/add', '/v1/liquidity/remove']),
    )
  })

  it('rejects an absurdly long amount by schema, still as problem+json', async () => {
    const body = await problem({ ...base, amountIn: '9'.repeat(200) })
    expect(body.status).toBe(400)
    expect(body.code).toBe('validation_failed')
  })

  it('says when tokens are not connected, and when the pools cannot pay an exact output', async () => {
    expect((await problem({ tokenIn: A, tokenOut: FAR, amountIn: '1000' })).code).toBe('no_route')
    const drained = await problem({ tokenIn: A, tokenOut: C, amountOut: (2000n * E18).toString() })
    expect(drained.status).toBe(422)
    expect(drained.code).toBe('insufficient_liquidity')
  })

  it('blocks above 15% price impact unless expert=true, and warns in tiers below', async () => {
    const big = { ...base, amountIn: (300n * E18).toString() }
    const blocked = await problem(big)
    expect(blocked.status).toBe(422)
    expect(blocked.code).toBe('price_impact_too_high')
    const res = await (await app).inject({
      method: 'GET',
      url: '/v1/quote',
      query: { ...big, expert: 'true' },
    })
    expect(res.statusCode).toBe(200)
    expect(res.json().priceImpactSeverity).toBe('blocked')
    expect(res.json().warnings[0].severity).toBe('blocked')
    const medium = await (await app).inject({
      method: 'GET',
      url: '/v1/quote',
      query: { ...base, amountIn: (35n * E18).toString() },
    })
    expect(medium.json().priceImpactSeverity).toBe('medium')
    const fine = await (await app).inject({
      method: 'GET',
      url: '/v1/quote',
      query: { ...base, amountIn: E18.toString(), slippage: '1' },
    })
    const q = fine.json()
    expect(q.priceImpactSeverity).toBe('none')
    expect(q.warnings).toEqual([])
    expect(q.minimumReceived).toBe(((BigInt(q.amountOut) * 9_900n) / 10_000n).toString())
    expect(q.deadline).toBe(Number(NOW) + 1200)
    expect(q.slippage).toBe('1')
  })
})
