import { fileURLToPath } from 'node:url'
import { createTestDatabase, type Database, migrate } from '@platform/service-kit/db'
import { createApp } from '@platform/service-kit/http'
import { type Address, erc20Abi, getAddress, type Hash, parseAbi } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { createTestMarket, type TestMarket } from '../quote/test-market.js'
import { readPoolsFromChain } from '../router/chain-pools.js'
import { walletRoutes } from './routes.js'

const pairAbi = parseAbi([
  'function balanceOf(address) view returns (uint256)',
  'function totalSupply() view returns (uint256)',
  'function getReserves() view returns (uint112, uint112, uint32)',
])

/** The indexer's tables, in their own schema (PostgreSQL with DATABASE_URL, else PGlite). */
async function openIndexDatabase(): Promise<Database> {
  const database = await createTestDatabase('dex_wallet_positions')
  await migrate(database, { dir: fileURLToPath(new URL('../../migrations', import.meta.url)) })
  return database
}

describe('wallet: balances, allowances, LP positions, transaction status', () => {
  let market: TestMarket
  let database: Database
  let app: Awaited<ReturnType<typeof createApp>>
  const send = (tx: Record<string, string>) =>
    market.chain.request({ method: 'eth_sendTransaction', params: [tx] }) as Promise<Hash>

  beforeAll(async () => {
    // Opening the database is setup, not what the positions test measures: without DATABASE_URL it
    // boots an embedded PostgreSQL (PGlite runs initdb in WebAssembly: seconds of CPU, tens of
    // seconds on a busy machine), which inside the test body overran its 30 s budget.
    // It runs beside the chain's setup.
    ;[market, database] = await Promise.all([createTestMarket(), openIndexDatabase()])
    const pools = await readPoolsFromChain(market.client, market.deployment.factory)
    app = await createApp({ service: 'dex-wallet-test', openapi: { title: 'test' } })
    await app.register(async (scope) =>
      walletRoutes(scope as any, {
        registry: {
          version: 1,
          pools: () => pools,
          tokens: () =>
            Object.entries(market.tokens).map(([symbol, address]) => ({ address, symbol, decimals: null })),
        },
        chain: { rpc: market.chain, contracts: market.deployment },
      }),
    )
    await app.ready()
  })
  afterAll(async () => {
    await app?.close()
    await database?.close()
  })

  it('reads native and token balances, and allowances towards the router', async () => {
    const owner = market.accounts[0]!
    const res = await app.inject({ method: 'GET', url: `/v1/wallet/${owner}/balances` })
    expect(res.statusCode).toBe(200)
    const body = res.json()
    expect(BigInt(body.native)).toBe(await market.client.getBalance({ address: owner }))
    expect(body.tokens).toHaveLength(4)
    for (const t of body.tokens) {
      const onChain = await market.client.readContract({
        address: t.token,
        abi: erc20Abi,
        functionName: 'balanceOf',
        args: [owner],
      })
      expect(t.balance).toBe(onChain.toString())
    }
    const allowances = (
      await app.inject({ method: 'GET', url: `/v1/wallet/${owner}/allowances?tokens=${market.tokens.TKA}` })
    ).json()
    expect(allowances.spender.toLowerCase()).toBe(market.deployment.router.toLowerCase())
    expect(allowances.allowances).toEqual([
      { token: getAddress(market.tokens.TKA), allowance: (2n ** 256n - 1n).toString() },
    ])
    const stranger = (
      await app.inject({
        method: 'GET',
        url: `/v1/wallet/${market.accounts[3]}/allowances?tokens=${market.tokens.TKB}`,
      })
    ).json()
    expect(stranger.allowances[0].allowance).toBe('0')
  })

  it('lists LP positions with pool share and the amounts a burn would pay', async () => {
    const owner = market.accounts[0]!
    const body = (await app.inject({ method: 'GET', url: `/v1/wallet/${owner}/positions` })).json()
    expect(body.positions).toHaveLength(5)
    for (const p of body.positions) {
      const [balance, supply, [r0, r1]] = await Promise.all([
        market.client.readContract({
          address: p.pool,
          abi: pairAbi,
          functionName: 'balanceOf',
          args: [owner],
        }),
        market.client.readContract({ address: p.pool, abi: pairAbi, functionName: 'totalSupply' }),
        market.client.readContract({ address: p.pool, abi: pairAbi, functionName: 'getReserves' }),
      ])
      expect(p.liquidity).toBe(balance.toString())
      expect(p.amount0).toBe(((balance * r0) / supply).toString())
      expect(p.amount1).toBe(((balance * r1) / supply).toString())
      // The first depositor owns everything but MINIMUM_LIQUIDITY: just under 100%.
      expect(Number(p.share)).toBeGreaterThan(99.99)
    }
    const none = (
      await app.inject({ method: 'GET', url: `/v1/wallet/${market.accounts[3]}/positions` })
    ).json()
    expect(none.positions).toEqual([])
  })

  it('narrows positions to the pools the indexer saw LP tokens sent to the wallet', async () => {
    const pools = await readPoolsFromChain(market.client, market.deployment.factory)
    const owner = market.accounts[0]!
    // The index says the owner received LP tokens of the first pool only.
    await database.kysely
      .insertInto('lp_transfers')
      .values({
        block_number: 1,
        log_index: 0,
        pool: pools[0]!.address.toLowerCase(),
        tx_hash: `0x${'00'.repeat(32)}`,
        from_address: '0x0000000000000000000000000000000000000000',
        to_address: owner.toLowerCase(),
        value: '1',
      })
      .execute()
    const indexed = await createApp({ service: 'dex-wallet-db-test', openapi: { title: 'test' } })
    await indexed.register(async (scope) =>
      walletRoutes(scope as any, {
        registry: { version: 1, pools: () => pools, tokens: () => [] },
        chain: { rpc: market.chain, contracts: market.deployment },
        db: database,
      }),
    )
    const body = (await indexed.inject({ method: 'GET', url: `/v1/wallet/${owner}/positions` })).json()
    await indexed.close()
    expect(body.positions.map((p: any) => p.pool.toLowerCase())).toEqual([pools[0]!.address.toLowerCase()])
  })

  it('tells confirmed from failed transactions', async () => {
    const [from, to] = market.accounts as [Address, Address]
    const ok = await send({ from, to, value: '0x1' })
    await market.client.waitForTransactionReceipt({ hash: ok })
    const confirmed = (await app.inject({ method: 'GET', url: `/v1/tx/${ok}` })).json()
    expect(confirmed.status).toBe('confirmed')
    expect(confirmed.confirmations).toBe('1')
    // transferFrom without allowance reverts; a fixed gas limit makes the node mine it anyway.
    const data =
      '0x23b872dd' +
      [market.accounts[3]!, from].map((a) => a.slice(2).padStart(64, '0')).join('') +
      '1'.padStart(64, '0')
    const bad = await send({ from, to: market.tokens.TKA, data, gas: '0x30000' })
    await market.client.waitForTransactionReceipt({ hash: bad })
    expect((await app.inject({ method: 'GET', url: `/v1/tx/${bad}` })).json().status).toBe('failed')
  })

  it('sees a transaction pending, then replaced by a cancel that took its nonce', async () => {
    const [, from, to] = market.accounts as [Address, Address, Address]
    await market.chain.request({ method: 'evm_setAutomine', params: [false] })
    try {
      const nonce = await market.client.getTransactionCount({ address: from })
      const original = await send({
        from,
        to,
        value: '0x100',
        nonce: `0x${nonce.toString(16)}`,
        gasPrice: '0x3b9aca00',
      })
      const pending = (await app.inject({ method: 'GET', url: `/v1/tx/${original}` })).json()
      expect(pending.status).toBe('pending')
      const cancel = await send({
        from,
        to: from,
        value: '0x0',
        nonce: `0x${nonce.toString(16)}`,
        gasPrice: '0x77359400',
      })
      await market.chain.request({ method: 'evm_mine', params: [] })
      const replaced = (
        await app.inject({ method: 'GET', url: `/v1/tx/${original}?from=${from}&nonce=${nonce}` })
      ).json()
      expect(replaced.status).toBe('replaced')
      expect(replaced.replacedBy).toBe(cancel)
      expect(replaced.replacement).toBe('cancelled')
    } finally {
      await market.chain.request({ method: 'evm_setAutomine', params: [true] })
    }
    const unknown = (await app.inject({ method: 'GET', url: `/v1/tx/0x${'ab'.repeat(32)}` })).json()
    expect(unknown.status).toBe('unknown')
  })

  it('answers bad wallet input with 4xx problem+json', async () => {
    const bad = await app.inject({ method: 'GET', url: '/v1/wallet/0xnothex/balances' })
    expect(bad.statusCode).toBe(400)
    expect(bad.json().code).toBe('invalid_address')
    const hash = await app.inject({ method: 'GET', url: '/v1/tx/0x1234' })
    expect(hash.statusCode).toBe(400)
    expect(hash.headers['content-type']).toContain('application/problem+json')
    const half = await app.inject({ method: 'GET', url: `/v1/tx/0x${'ab'.repeat(32)}?nonce=3` })
    expect(half.json().code).toBe('hint_incomplete')
  })
})
