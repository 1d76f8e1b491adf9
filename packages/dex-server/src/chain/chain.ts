import { createEdrChain } from '@soba/contracts'
import { type Address, http } from 'viem'
import { type Eip1193, getChainId } from './rpc.js'
import { type RpcServer, startRpcServer } from './rpc-server.js'
import { type SeedToken, seedMarket } from './seed.js'

export interface ChainToken {
  address: Address
  symbol: string
  decimals: number
}

/** The chain the DEX server runs on: the embedded EDR node or a remote JSON-RPC. */
export interface ChainHandle {
  chainId: number
  /** Where wallets and clients reach the node. */
  rpcUrl: string
  /** In-process requests (EDR directly when embedded, so the indexer skips HTTP). */
  rpc: Eip1193
  contracts: { factory: Address; router: Address; weth: Address }
  /** Tokens this deployment was seeded with (empty on a remote chain: the index lists them). */
  tokens: ChainToken[]
  quoteToken: Address | null
  embedded: boolean
  /** Unlocked dev accounts (embedded only); the simulator trades from them. */
  devAccounts: Address[]
  seedTokens: SeedToken[]
  close(): Promise<void>
}

export interface EmbeddedChainOptions {
  host: string
  port: number
  /** 0 = a block per transaction (automine); otherwise a block every this many ms. */
  blockTimeMs: number
  onMethod?: (method: string) => void
}

/** Starts EDR in process, serves it on host:port, deploys the exchange and seeds the market. */
export async function startEmbeddedChain(options: EmbeddedChainOptions): Promise<ChainHandle> {
  // Blocks faster than one per second keep wall-clock timestamps, so candles follow real time.
  const edr = await createEdrChain({ allowBlocksWithSameTimestamp: true })
  const devAccounts = edr.accounts.map((a) => a.address)
  const market = await seedMarket(edr, devAccounts)
  if (options.blockTimeMs > 0) {
    await edr.request({ method: 'evm_setAutomine', params: [false] })
    await edr.request({ method: 'evm_setIntervalMining', params: [options.blockTimeMs] })
  }
  let server: RpcServer
  try {
    server = await startRpcServer({
      provider: edr,
      host: options.host,
      port: options.port,
      ...(options.onMethod ? { onMethod: options.onMethod } : {}),
    })
  } catch (error) {
    throw new Error(
      `cannot serve the embedded chain on ${options.host}:${options.port}: ${(error as Error).message}`,
    )
  }
  const { factory, router, weth } = market.deployment
  return {
    chainId: edr.chainId,
    rpcUrl: server.url,
    rpc: edr,
    contracts: { factory, router, weth },
    tokens: market.tokens.map(({ address, symbol, decimals }) => ({ address, symbol, decimals })),
    quoteToken: market.tokens.find((t) => t.symbol === 'USDC')?.address ?? null,
    embedded: true,
    devAccounts,
    seedTokens: market.tokens,
    async close() {
      await edr.request({ method: 'evm_setIntervalMining', params: [0] }).catch(() => undefined)
      await server.close()
    },
  }
}

export interface RemoteChainOptions {
  rpcUrl: string
  /** The URL handed to wallets, when rpcUrl carries a provider key. */
  publicRpcUrl?: string
  factory: Address
  router: Address
  weth: Address
  quoteToken?: Address
}

/** Connects to any EVM JSON-RPC that hosts a Uniswap-v2-compatible deployment. */
export async function connectRemoteChain(options: RemoteChainOptions): Promise<ChainHandle> {
  const rpc = http(options.rpcUrl, { batch: { batchSize: 100 }, retryCount: 3, timeout: 20_000 })({})
  const chainId = await getChainId(rpc)
  return {
    chainId,
    rpcUrl: options.publicRpcUrl ?? options.rpcUrl,
    rpc,
    contracts: { factory: options.factory, router: options.router, weth: options.weth },
    tokens: [],
    quoteToken: options.quoteToken ?? null,
    embedded: false,
    devAccounts: [],
    seedTokens: [],
    close: async () => {},
  }
}
