/**
 * Indexer ingest rate: generates swaps on the embedded EDR chain (many per transaction, through a
 * small batch-swapper contract compiled here with solc), then backfills them with the DEX indexer into PostgreSQL (DATABASE_URL, a fresh
 * schema dropped afterwards) and reports events/s. Target: at least 5,000 events/s.
 *
 *   npx tsx bench/indexer.ts            (INDEXER_BENCH_SWAPS=100000 INDEXER_BENCH_PER_TX=200)
 */
import { randomBytes } from 'node:crypto'
import { createRequire } from 'node:module'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { migrate, openDatabase } from '@platform/service-kit/db'
import { createEdrChain, SobaFactory, TestToken, WETH9 } from '@soba/contracts'
import type { Eip1193 } from '@soba/dex-server/chain/rpc'
import { type SeedToken, seedMarket } from '@soba/dex-server/chain/seed'
import { encodeCall, execute, readContract } from '@soba/dex-server/chain/tx'
import { Indexer } from '@soba/dex-server/indexer/indexer'
import { PoolRegistry } from '@soba/dex-server/market/pool-registry'
import { sql } from 'kysely'
import { type Abi, type Address, encodeDeployData, encodeFunctionData, getAddress, type Hex } from 'viem'

export interface IndexerBenchResult {
  swaps: number
  blocks: number
  events: number
  generate: { seconds: number; swapsPerSecond: number }
  index: { seconds: number; eventsPerSecond: number; swapsPerSecond: number }
  /**
   * The floor on this machine: only the JSON-RPC reads the index cannot do without (the same
   * eth_getLogs ranges and the headers of blocks with logs), no decoding, no database. The
   * indexer's time over this peer's, measured in the same run, is what the indexer adds.
   */
  fetchFloor: { seconds: number; eventsPerSecond: number; indexerOverFloor: number }
  target: { eventsPerSecond: number; met: boolean }
  database: string
}

const MIGRATIONS = fileURLToPath(new URL('../packages/dex-server/migrations', import.meta.url))

export async function run(): Promise<IndexerBenchResult> {
  const total = Number(process.env.INDEXER_BENCH_SWAPS ?? 100_000)
  const perTx = Number(process.env.INDEXER_BENCH_PER_TX ?? 200)
  const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

  const chain = await createEdrChain({ allowBlocksWithSameTimestamp: true, blockGasLimit: 100_000_000n })
  const accounts = chain.accounts.map((a) => a.address)
  const [seeder] = accounts as [Address]
  const market = await seedMarket(chain, accounts)
  const swapper = await deploySwapper(chain, seeder)
  const bySymbol = new Map(market.tokens.map((t) => [t.symbol, t]))
  const pools = await Promise.all(
    market.pools.map(async ([a, b]) => {
      const ta = bySymbol.get(a) as SeedToken
      const tb = bySymbol.get(b) as SeedToken
      const pair = await readContract<Address>(
        chain,
        market.deployment.factory,
        SobaFactory.abi as Abi,
        'getPair',
        [ta.address, tb.address],
      )
      const [t0, t1] = ta.address.toLowerCase() < tb.address.toLowerCase() ? [ta, tb] : [tb, ta]
      // ~0.001 of a whole token per swap, alternating direction: prices stay put for the whole run.
      return {
        pair,
        t0,
        t1,
        amount0: 10n ** BigInt(Math.max(0, t0.decimals - 3)),
        amount1: 10n ** BigInt(Math.max(0, t1.decimals - 3)),
      }
    }),
  )
  await fundSwapper(chain, seeder, swapper, market.tokens, market.deployment.weth)

  // One transaction swaps `perTx` times through the pairs directly: generating 100k swaps with a
  // transaction each would take EDR minutes; the indexer sees the same Sync/Swap logs either way.
  const started = performance.now()
  let sent = 0
  let lastReport = started
  while (sent < total) {
    const n = Math.min(perTx, total - sent)
    const data = encodeFunctionData({
      abi: SWAPPER_ABI,
      functionName: 'run',
      args: [
        pools.map((p) => p.pair),
        pools.map((p) => p.t0.address),
        pools.map((p) => p.t1.address),
        pools.map((p) => p.amount0),
        pools.map((p) => p.amount1),
        BigInt(n),
        BigInt(sent),
      ],
    })
    await execute(chain, { from: seeder, to: swapper, data, gas: 16_000_000n })
    sent += n
    const now = performance.now()
    if (now - lastReport > 5000 || sent === total) {
      lastReport = now
      console.log(`generate: ${sent}/${total} swaps (${Math.round(sent / ((now - started) / 1000))} swaps/s)`)
    }
  }
  const generateSeconds = (performance.now() - started) / 1000
  const head = Number(await chain.request({ method: 'eth_blockNumber', params: [] }))

  const schema = `bench_indexer_${randomBytes(4).toString('hex')}`
  const db = await openDatabase({ url, schema, poolSize: 4 })
  try {
    await migrate(db, { dir: MIGRATIONS })
    const batchBlocks = Number(process.env.INDEXER_BENCH_BATCH_BLOCKS ?? 40)
    const floorSeconds = await fetchFloor(
      chain,
      getAddress(market.deployment.factory).toLowerCase(),
      pools.map((p) => p.pair.toLowerCase()),
      head,
      batchBlocks,
    )
    const indexer = new Indexer({
      db: db.kysely,
      rpc: chain,
      graph: new PoolRegistry(),
      chainId: chain.chainId,
      factory: getAddress(market.deployment.factory).toLowerCase(),
      batchBlocks,
      progressEveryMs: 2000,
    })
    indexer.on('progress', (p) =>
      console.log(`index: block ${p.block}/${p.head}, ${p.events} events, ${p.eventsPerSecond} events/s`),
    )
    await indexer.init()
    const t0 = performance.now()
    await indexer.syncToHead()
    const seconds = (performance.now() - t0) / 1000
    const events = indexer.status().events
    const swaps = Number(
      (await db.kysely.selectFrom('swaps').select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow()).n,
    )
    if (swaps < total) throw new Error(`indexed ${swaps} swaps, generated ${total}`)
    const eventsPerSecond = Math.round(events / seconds)
    return {
      swaps,
      blocks: head,
      events,
      generate: { seconds: round(generateSeconds), swapsPerSecond: Math.round(total / generateSeconds) },
      index: { seconds: round(seconds), eventsPerSecond, swapsPerSecond: Math.round(swaps / seconds) },
      fetchFloor: {
        seconds: round(floorSeconds),
        eventsPerSecond: Math.round(events / floorSeconds),
        indexerOverFloor: round(seconds / floorSeconds),
      },
      target: { eventsPerSecond: 5000, met: eventsPerSecond >= 5000 },
      database: 'postgresql',
    }
  } finally {
    await sql.raw(`drop schema if exists "${schema}" cascade`).execute(db.kysely)
    await db.close()
  }
}

const HEADER_CONCURRENCY = 16

/** The floor peer: the logs of every range and the headers of their blocks, read and dropped. */
async function fetchFloor(
  rpc: Eip1193,
  factory: string,
  pairs: string[],
  head: number,
  batchBlocks: number,
): Promise<number> {
  const started = performance.now()
  for (let from = 0; from <= head; from += batchBlocks) {
    const range = {
      fromBlock: `0x${from.toString(16)}`,
      toBlock: `0x${Math.min(head, from + batchBlocks - 1).toString(16)}`,
    }
    const [created, logs] = (await Promise.all([
      rpc.request({
        method: 'eth_getLogs',
        params: [{ ...range, address: factory, topics: [PAIR_CREATED] }],
      }),
      rpc.request({ method: 'eth_getLogs', params: [{ ...range, address: pairs }] }),
    ])) as Array<Array<{ blockNumber: string }>>
    const blocks = [...new Set([...(created ?? []), ...(logs ?? [])].map((l) => l.blockNumber))]
    for (let i = 0; i < blocks.length; i += HEADER_CONCURRENCY) {
      await Promise.all(
        blocks
          .slice(i, i + HEADER_CONCURRENCY)
          .map((n) => rpc.request({ method: 'eth_getBlockByNumber', params: [n, false] })),
      )
    }
  }
  return (performance.now() - started) / 1000
}

const PAIR_CREATED = '0x0d3648bd0f6ba80134a33ba9275ac585d9d315f0ad8355cddefde31afa28d0e9'

const SWAPPER_SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;
interface IPair {
  function getReserves() external view returns (uint112, uint112, uint32);
  function swap(uint256, uint256, address, bytes calldata) external;
}
interface IToken { function transfer(address, uint256) external returns (bool); }
contract BatchSwapper {
  function run(address[] calldata pairs, address[] calldata t0, address[] calldata t1, uint256[] calldata a0,
      uint256[] calldata a1, uint256 n, uint256 offset) external {
    for (uint256 i = offset; i < offset + n; i++) {
      uint256 p = i % pairs.length;
      bool zeroForOne = (i / pairs.length) % 2 == 0;
      (uint256 r0, uint256 r1,) = IPair(pairs[p]).getReserves();
      uint256 amountIn = zeroForOne ? a0[p] : a1[p];
      (uint256 rIn, uint256 rOut) = zeroForOne ? (r0, r1) : (r1, r0);
      uint256 out = amountIn * 997 * rOut / (rIn * 1000 + amountIn * 997);
      IToken(zeroForOne ? t0[p] : t1[p]).transfer(pairs[p], amountIn);
      IPair(pairs[p]).swap(zeroForOne ? 0 : out, zeroForOne ? out : 0, address(this), "");
    }
  }
}`

const SWAPPER_ABI = [
  {
    type: 'function',
    name: 'run',
    stateMutability: 'nonpayable',
    inputs: [
      { name: 'pairs', type: 'address[]' },
      { name: 't0', type: 'address[]' },
      { name: 't1', type: 'address[]' },
      { name: 'a0', type: 'uint256[]' },
      { name: 'a1', type: 'uint256[]' },
      { name: 'n', type: 'uint256' },
      { name: 'offset', type: 'uint256' },
    ],
    outputs: [],
  },
] as const

async function deploySwapper(rpc: Eip1193, from: Address): Promise<Address> {
  const solc = createRequire(import.meta.url)('solc') as { compile(input: string): string }
  const output = JSON.parse(
    solc.compile(
      JSON.stringify({
        language: 'Solidity',
        sources: { 'BatchSwapper.sol': { content: SWAPPER_SOURCE } },
        settings: {
          optimizer: { enabled: true, runs: 200 },
          viaIR: true,
          outputSelection: { '*': { '*': ['evm.bytecode.object'] } },
        },
      }),
    ),
  )
  const compiled = output.contracts?.['BatchSwapper.sol']?.BatchSwapper
  if (!compiled) throw new Error(`BatchSwapper did not compile: ${JSON.stringify(output.errors)}`)
  const bytecode = `0x${compiled.evm.bytecode.object}` as Hex
  const receipt = await execute(rpc, { from, data: encodeDeployData({ abi: SWAPPER_ABI, bytecode }) })
  return receipt.contractAddress as Address
}

/** Gives the swapper plenty of every token (WETH through a deposit, the rest minted). */
async function fundSwapper(
  rpc: Eip1193,
  from: Address,
  swapper: Address,
  tokens: SeedToken[],
  weth: Address,
) {
  for (const token of tokens) {
    if (token.address === weth) {
      await execute(rpc, {
        from,
        to: weth,
        data: encodeCall(WETH9.abi as Abi, 'deposit'),
        value: 1_000n * 10n ** 18n,
      })
      await execute(rpc, {
        from,
        to: weth,
        data: encodeCall(WETH9.abi as Abi, 'transfer', [swapper, 1_000n * 10n ** 18n]),
      })
    } else {
      const amount = 10n ** BigInt(token.decimals + 9)
      await execute(rpc, {
        from,
        to: token.address,
        data: encodeCall(TestToken.abi as Abi, 'mint', [swapper, amount]),
      })
    }
  }
}

const round = (x: number) => Math.round(x * 100) / 100

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  run().then(
    (result) => {
      console.log(JSON.stringify(result, null, 2))
      process.exit(0)
    },
    (error) => {
      console.error(error)
      process.exit(1)
    },
  )
}
