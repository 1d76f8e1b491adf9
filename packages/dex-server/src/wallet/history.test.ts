import type { EdrChain } from '@soba/contracts'
import { SobaRouter } from '@soba/contracts'
import type { Abi, Address } from 'viem'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { SeededMarket } from '../chain/seed.js'
import { seededTestChain, swapExactIn } from '../chain/test-chain.js'
import { encodeCall, execute, readContract, type TxReceipt } from '../chain/tx.js'
import { Indexer } from '../indexer/indexer.js'
import { openTestDatabases } from '../indexer/test-support.js'
import { PoolRegistry } from '../market/pool-registry.js'
import { type AccountActivity, accountActivity, type SwapActivity } from './history.js'

let chain: EdrChain
let market: SeededMarket
let accounts: Address[]
let dbs: Awaited<ReturnType<typeof openTestDatabases>>
let indexer: Indexer

const DEADLINE = 2n ** 64n
const token = (symbol: string) => {
  const found = market.tokens.find((t) => t.symbol === symbol)
  if (!found) throw new Error(`no seeded token ${symbol}`)
  return found.address.toLowerCase() as Address
}
const amountsOut = (amountIn: bigint, path: Address[]) =>
  readContract<bigint[]>(chain, market.deployment.router, SobaRouter.abi as Abi, 'getAmountsOut', [
    amountIn,
    path,
  ])
/** An exact-in router swap sent by `from`, paying `to` (not necessarily the sender). */
const routerSwap = (fn: string, from: Address, amountIn: bigint, path: Address[], to: Address) =>
  execute(chain, {
    from,
    to: market.deployment.router,
    data: encodeCall(SobaRouter.abi as Abi, fn, [amountIn, 0n, path, to, DEADLINE]),
  })
const history = (account: Address, options: { limit?: number; before?: number } = {}) =>
  accountActivity(
    (dbs.databases[0] as (typeof dbs.databases)[0]).kysely,
    { weth: market.deployment.weth, router: market.deployment.router },
    account,
    { limit: options.limit ?? 50, ...(options.before === undefined ? {} : { before: options.before }) },
  )
const swapsOf = (activity: AccountActivity[]) => activity.filter((a): a is SwapActivity => a.kind === 'swap')
const lower = (a: Address) => a.toLowerCase()

beforeAll(async () => {
  ;({ chain, market, accounts } = await seededTestChain())
  dbs = await openTestDatabases('history', 1)
  indexer = new Indexer({
    db: (dbs.databases[0] as (typeof dbs.databases)[0]).kysely,
    rpc: chain,
    graph: new PoolRegistry(),
    chainId: chain.chainId,
    factory: market.deployment.factory,
  })
  await indexer.init()
})
afterAll(async () => {
  await dbs?.close()
})

describe('account history on the index of a real chain', () => {
  const router = () => market.deployment.router
  let ethOut: TxReceipt
  let multiHop: TxReceipt
  let toCarol: TxReceipt
  let bobOwn: TxReceipt
  let ethIn: TxReceipt
  let wethIn: TxReceipt
  let expected: { ethOut: bigint; multiHop: bigint; toCarol: bigint }

  beforeAll(async () => {
    const [, alice, bob, carol] = accounts as [Address, Address, Address, Address]
    // alice sells 1,000 USDC for native ETH: the pair pays WETH to the router, which unwraps it.
    const usdcIn = 1_000n * 10n ** 6n
    const ethPath = [token('USDC'), token('WETH')]
    const ethExpected = (await amountsOut(usdcIn, ethPath)).at(-1) as bigint
    ethOut = await routerSwap('swapExactTokensForETH', alice, usdcIn, ethPath, alice)
    // alice swaps SOBA → USDC → DAI: two hops, the first paying the second pair.
    const sobaIn = 10_000n * 10n ** 18n
    const hopPath = [token('SOBA'), token('USDC'), token('DAI')]
    const hopExpected = (await amountsOut(sobaIn, hopPath)).at(-1) as bigint
    multiHop = await swapExactIn(chain, router(), alice, hopPath, sobaIn)
    // bob pays carol: the swap is bob's (he sent it) and carol's (she received it).
    const daiIn = 500n * 10n ** 18n
    const carolExpected = (await amountsOut(daiIn, [token('DAI'), token('WETH')])).at(-1) as bigint
    toCarol = await routerSwap('swapExactTokensForTokens', bob, daiIn, [token('DAI'), token('WETH')], carol)
    // bob's own swap, to himself: alice must not see it.
    bobOwn = await swapExactIn(chain, router(), bob, [token('WBTC'), token('USDC')], 10n ** 6n)
    // dave pays 0.1 native ETH for USDC (the router wraps it), then 0.1 of his WETH for USDC.
    const dave = accounts[4] as Address
    ethIn = await execute(chain, {
      from: dave,
      to: router(),
      data: encodeCall(SobaRouter.abi as Abi, 'swapExactETHForTokens', [
        0n,
        [token('WETH'), token('USDC')],
        dave,
        DEADLINE,
      ]),
      value: 10n ** 17n,
    })
    wethIn = await swapExactIn(chain, router(), dave, [token('WETH'), token('USDC')], 10n ** 17n)
    for (const r of [ethOut, multiHop, toCarol, bobOwn, ethIn, wethIn]) expect(r.status).toBe('0x1')
    expected = { ethOut: ethExpected, multiHop: hopExpected, toCarol: carolExpected }
    await indexer.syncToHead()
  })

  it("lists a swap paid out in native ETH and a multi-hop swap as one entry each, in the sender's history", async () => {
    const [, alice] = accounts as [Address, Address]
    const swaps = swapsOf(await history(alice))
    expect(swaps.map((s) => s.txHash)).toEqual([multiHop.transactionHash, ethOut.transactionHash])
    const [hop, eth] = swaps as [SwapActivity, SwapActivity]
    expect(eth).toMatchObject({
      blockNumber: Number(ethOut.blockNumber),
      tokenIn: token('USDC'),
      amountIn: (1_000n * 10n ** 6n).toString(),
      tokenOut: token('WETH'),
      amountOut: expected.ethOut.toString(),
      recipient: lower(router()),
      txFrom: lower(alice),
      pools: [eth.pool],
    })
    expect(hop).toMatchObject({
      tokenIn: token('SOBA'),
      amountIn: (10_000n * 10n ** 18n).toString(),
      tokenOut: token('DAI'),
      amountOut: expected.multiHop.toString(),
      recipient: lower(alice),
      txFrom: lower(alice),
    })
    expect(hop.pools).toHaveLength(2)
    expect(hop.pool).toBe(hop.pools[0])
  })

  it('lists a swap paid to a third party for both its sender and its recipient', async () => {
    const [, , bob, carol] = accounts as [Address, Address, Address, Address]
    const bobs = swapsOf(await history(bob))
    expect(bobs.map((s) => s.txHash)).toEqual([bobOwn.transactionHash, toCarol.transactionHash])
    const carols = swapsOf(await history(carol))
    expect(carols.map((s) => s.txHash)).toEqual([toCarol.transactionHash])
    for (const entry of [bobs[1], carols[0]]) {
      expect(entry).toMatchObject({
        tokenIn: token('DAI'),
        tokenOut: token('WETH'),
        amountOut: expected.toCarol.toString(),
        recipient: lower(carol),
        txFrom: lower(bob),
      })
    }
  })

  it('tells native ETH paid in or paid out from WETH, though both show WETH as the token', async () => {
    const [, alice, bob, carol, dave] = accounts as [Address, Address, Address, Address, Address]
    const daves = swapsOf(await history(dave))
    expect(daves.map((s) => s.txHash)).toEqual([wethIn.transactionHash, ethIn.transactionHash])
    const [weth, eth] = daves as [SwapActivity, SwapActivity]
    // Same pair, same token, same amount: only the transaction's value tells them apart.
    for (const entry of [weth, eth]) {
      expect(entry).toMatchObject({ tokenIn: token('WETH'), amountIn: (10n ** 17n).toString() })
    }
    expect(eth).toMatchObject({ nativeIn: true, nativeOut: false, recipient: lower(dave) })
    expect(weth).toMatchObject({ nativeIn: false, nativeOut: false })
    // alice's USDC → ETH: the pair paid WETH to the router, which unwrapped it for her.
    const ethOutEntry = swapsOf(await history(alice)).find((s) => s.txHash === ethOut.transactionHash)
    expect(ethOutEntry).toMatchObject({ tokenOut: token('WETH'), nativeIn: false, nativeOut: true })
    // WETH paid to carol is WETH: the router did not receive it.
    const [toCarolEntry] = swapsOf(await history(carol))
    expect(toCarolEntry).toMatchObject({ tokenOut: token('WETH'), nativeOut: false })
    for (const entry of swapsOf(await history(bob))) expect(entry.nativeIn || entry.nativeOut).toBe(false)
  })

  it("leaves other accounts' swaps out", async () => {
    const [seeder, alice] = accounts as [Address, Address]
    const alices = await history(alice)
    expect(alices.map((a) => a.txHash)).not.toContain(bobOwn.transactionHash)
    expect(alices.map((a) => a.txHash)).not.toContain(toCarol.transactionHash)
    // The seeder added the liquidity (mints) and never swapped.
    expect(swapsOf(await history(seeder))).toEqual([])
    expect(await history('0x00000000000000000000000000000000000000aa')).toEqual([])
  })

  it('pages by block without repeating or losing an entry', async () => {
    const [, alice] = accounts as [Address, Address]
    const first = await history(alice, { limit: 1 })
    expect(first.map((a) => a.txHash)).toEqual([multiHop.transactionHash])
    const second = await history(alice, { limit: 1, before: first[0]?.blockNumber as number })
    expect(second.map((a) => a.txHash)).toEqual([ethOut.transactionHash])
    const rest = await history(alice, { limit: 50, before: second[0]?.blockNumber as number })
    expect(rest.filter((a) => a.kind === 'swap')).toEqual([])
  })

  it('records the transaction sender on every indexed swap, and the hops of one path share it', async () => {
    const rows = await (dbs.databases[0] as (typeof dbs.databases)[0]).kysely
      .selectFrom('swaps')
      .select(['tx_hash', 'tx_from', 'recipient'])
      .where('tx_hash', '=', multiHop.transactionHash.toLowerCase())
      .orderBy('log_index')
      .execute()
    const [, alice] = accounts as [Address, Address]
    expect(rows).toHaveLength(2)
    expect(rows.map((r) => r.tx_from)).toEqual([lower(alice), lower(alice)])
    // The first hop's `to` is the second hop's pair, not alice: only tx_from ties it to her.
    expect(rows[0]?.recipient).not.toBe(lower(alice))
  })

  it("records the wei each swap's transaction sent", async () => {
    const txValueOf = async (receipt: TxReceipt) =>
      (
        await (dbs.databases[0] as (typeof dbs.databases)[0]).kysely
          .selectFrom('swaps')
          .select('tx_value')
          .where('tx_hash', '=', receipt.transactionHash.toLowerCase())
          .executeTakeFirstOrThrow()
      ).tx_value
    expect(String(await txValueOf(ethIn))).toBe((10n ** 17n).toString())
    expect(String(await txValueOf(wethIn))).toBe('0')
    expect(String(await txValueOf(ethOut))).toBe('0')
  })
})
