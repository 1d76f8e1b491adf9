/**
 * The backtest's market: the embedded simulator trading on a fresh EDR chain for `ticks` rounds,
 * one block per round stamped `tickSeconds` after the last (so a day of 1-minute candles takes
 * 1,440 rounds, not 86,400), then indexed by the DEX indexer into a fresh database schema. The
 * forecasters later read that schema exactly as the live service reads its own.
 */
import { randomBytes } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import { createPglite, type Database, migrate, openDatabase } from '@platform/service-kit/db'
import { createEdrChain, SobaFactory, SobaPair } from '@soba/contracts'
import { seedMarket } from '@soba/dex-server/chain/seed'
import { readContract } from '@soba/dex-server/chain/tx'
import { Indexer } from '@soba/dex-server/indexer/indexer'
import { PoolRegistry } from '@soba/dex-server/market/pool-registry'
import { MEAN_REVERTING_TOKEN, MeanRevertingReference } from '@soba/dex-server/simulator/mean-reverting'
import { MarketSimulator, type SimulatorPool } from '@soba/dex-server/simulator/simulator'
import { sql } from 'kysely'
import type { Abi, Address } from 'viem'

const MIGRATIONS = fileURLToPath(new URL('../../packages/dex-server/migrations', import.meta.url))

export interface SimulatedMarket {
  db: Database
  /** Pool address → "TOKEN0/TOKEN1" label. */
  pools: Map<string, string>
  meanRevertingPool: string
  close(): Promise<void>
}

export async function simulateMarket(options: {
  seed: number
  ticks: number
  tickSeconds: number
  log: (line: string) => void
}): Promise<SimulatedMarket> {
  // The chain's clock starts far enough in the past that the whole run ends before now: the
  // simulator's swap deadlines are wall-clock based.
  const span = options.ticks * options.tickSeconds + 86_400
  const chain = await createEdrChain({
    allowBlocksWithSameTimestamp: true,
    genesisTimestamp: BigInt(Math.floor(Date.now() / 1000) - span),
  })
  const accounts = chain.accounts.map((a) => a.address)
  const market = await seedMarket(chain, accounts)
  const symbols = new Map(market.tokens.map((t) => [t.address.toLowerCase(), t.symbol]))
  const factory = market.deployment.factory
  const count = await readContract<bigint>(chain, factory, SobaFactory.abi as Abi, 'allPairsLength')
  const pools: SimulatorPool[] = []
  for (let i = 0n; i < count; i++) {
    const address = await readContract<Address>(chain, factory, SobaFactory.abi as Abi, 'allPairs', [i])
    const token0 = await readContract<Address>(chain, address, SobaPair.abi as Abi, 'token0')
    const token1 = await readContract<Address>(chain, address, SobaPair.abi as Abi, 'token1')
    pools.push({
      address: address.toLowerCase() as Address,
      token0: token0.toLowerCase() as Address,
      token1: token1.toLowerCase() as Address,
    })
  }
  const mrv = market.tokens.find((t) => t.symbol === MEAN_REVERTING_TOKEN.symbol)
  if (!mrv) throw new Error('the seeded market has no mean-reverting token')
  const simulator = new MarketSimulator({
    rpc: chain,
    router: market.deployment.router,
    tokens: market.tokens,
    pools: () => pools,
    traders: accounts.slice(1, 5),
    arbitrageur: accounts[5] as Address,
    liquidityProviders: accounts.slice(6, 8),
    intervalMs: options.tickSeconds * 1000,
    tradesPerTick: 3,
    seed: options.seed,
    volatility: 0.003,
    meanReverting: new MeanRevertingReference(mrv.address, {
      seed: options.seed,
      tickSeconds: options.tickSeconds,
    }),
  })
  // One block per round: transactions wait in the pool until the round's block is mined.
  await chain.request({ method: 'evm_setAutomine', params: [false] })
  const latest = (await chain.request({ method: 'eth_getBlockByNumber', params: ['latest', false] })) as {
    timestamp: string
  }
  let time = Number(latest.timestamp)
  const started = performance.now()
  for (let tick = 1; tick <= options.ticks; tick++) {
    await simulator.tick()
    time += options.tickSeconds
    await chain.request({ method: 'evm_setNextBlockTimestamp', params: [`0x${time.toString(16)}`] })
    await chain.request({ method: 'evm_mine', params: [] })
    if (tick % 500 === 0 || tick === options.ticks) {
      const rate = Math.round(tick / ((performance.now() - started) / 1000))
      options.log(
        `seed ${options.seed}: round ${tick}/${options.ticks} (${rate} rounds/s, ${simulator.stats.sent} sent, ${simulator.stats.failed} failed)`,
      )
    }
  }

  const url = process.env.DATABASE_URL
  const schema = `bench_predict_${randomBytes(4).toString('hex')}`
  const pglite = url ? undefined : await createPglite()
  const db = await openDatabase(url ? { url, schema, poolSize: 3 } : { schema, pglite })
  await migrate(db, { dir: MIGRATIONS })
  const indexer = new Indexer({
    db: db.kysely,
    rpc: chain,
    graph: new PoolRegistry(),
    chainId: chain.chainId,
    factory: factory.toLowerCase(),
    batchBlocks: 200,
  })
  await indexer.init()
  await indexer.syncToHead()
  options.log(`seed ${options.seed}: indexed ${indexer.status().events} events`)
  const label = (p: SimulatorPool) => `${symbols.get(p.token0)}/${symbols.get(p.token1)}`
  const ouPool = pools.find(
    (p) => p.token0 === mrv.address.toLowerCase() || p.token1 === mrv.address.toLowerCase(),
  )
  return {
    db,
    pools: new Map(pools.map((p) => [p.address, label(p)])),
    meanRevertingPool: (ouPool as SimulatorPool).address,
    async close() {
      if (url) await sql.raw(`drop schema if exists "${schema}" cascade`).execute(db.kysely)
      await db.close()
      await pglite?.close()
    },
  }
}
