// Deploy a complete exchange (factory, WETH, router) — ours or the original Uniswap v2 —
// through viem, on any EIP-1193 provider or a pair of viem clients.
import {
  type Abi,
  type Account,
  type Address,
  type Chain,
  createPublicClient,
  createWalletClient,
  custom,
  type Hex,
  type PublicClient,
  type Transport,
  type WalletClient,
} from 'viem'
import * as cancun from './generated/artifacts.js'
import * as paris from './generated/artifacts-paris.js'
import { UNISWAP_V2_INIT_CODE_HASH, uniswapV2Artifacts } from './uniswap.js'

export interface Eip1193Like {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>
}

export interface Clients {
  walletClient: WalletClient<Transport, Chain | undefined, Account>
  publicClient: PublicClient
}

/** Where to deploy: viem clients (the wallet client's account pays), or a provider whose
 *  first `eth_accounts` entry is unlocked (a dev node such as createEdrChain). */
export type DeployTarget = Clients | Eip1193Like

/** The contract builds (see scripts/compile.ts): `cancun`, the default, locks the pair with
 *  transient storage; `paris` is for chains without Cancun (a storage lock, no PUSH0 or MCOPY).
 *  Each build has its own pair init code hash, baked into its own router. */
export const sobaBuilds = { cancun, paris } as const
export type SobaBuild = keyof typeof sobaBuilds

export interface DeployOptions {
  /** Who may set feeTo on the factory (default: the deployer). */
  feeToSetter?: Address
  /** Reuse an existing WETH instead of deploying one. */
  weth?: Address
  /** Which build of the Soba contracts to deploy (default `cancun`); ignored for Uniswap v2. */
  build?: SobaBuild
}

export interface Deployment {
  factory: Address
  router: Address
  weth: Address
  pairInitCodeHash: Hex
  deployer: Address
}

export async function clientsFor(target: DeployTarget): Promise<Clients> {
  if ('walletClient' in target) return target
  const transport = custom(target)
  const publicClient = createPublicClient({ transport })
  const [address] = await createWalletClient({ transport }).getAddresses()
  if (!address) throw new Error('the provider has no unlocked account to deploy from')
  const walletClient = createWalletClient({ transport, account: address })
  return { walletClient, publicClient }
}

async function deploy(clients: Clients, abi: Abi, bytecode: Hex, args: readonly unknown[]): Promise<Address> {
  const hash = await clients.walletClient.deployContract({
    abi,
    bytecode,
    args,
    chain: clients.walletClient.chain ?? null,
  })
  const receipt = await clients.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 50 })
  if (receipt.status !== 'success' || !receipt.contractAddress) throw new Error(`deployment ${hash} failed`)
  return receipt.contractAddress
}

async function deployExchange(
  target: DeployTarget,
  parts: { factory: [Abi, Hex]; router: [Abi, Hex]; weth: [Abi, Hex]; pairInitCodeHash: Hex },
  options: DeployOptions,
): Promise<Deployment> {
  const clients = await clientsFor(target)
  const deployer = clients.walletClient.account.address
  const weth = options.weth ?? (await deploy(clients, ...parts.weth, []))
  const factory = await deploy(clients, ...parts.factory, [options.feeToSetter ?? deployer])
  const router = await deploy(clients, ...parts.router, [factory, weth])
  return { factory, router, weth, pairInitCodeHash: parts.pairInitCodeHash, deployer }
}

/** Deploys SobaFactory, WETH9 and SobaRouter compiled here (the `cancun` build unless told). */
export function deploySoba(target: DeployTarget, options: DeployOptions = {}): Promise<Deployment> {
  const { SobaFactory, SobaRouter, WETH9, PAIR_INIT_CODE_HASH } = sobaBuilds[options.build ?? 'cancun']
  return deployExchange(
    target,
    {
      factory: [SobaFactory.abi, SobaFactory.bytecode],
      router: [SobaRouter.abi, SobaRouter.bytecode],
      weth: [WETH9.abi, WETH9.bytecode],
      pairInitCodeHash: PAIR_INIT_CODE_HASH,
    },
    options,
  )
}

/** Deploys the original UniswapV2Factory, WETH9 and UniswapV2Router02 bytecode from npm. */
export function deployUniswapV2(target: DeployTarget, options: DeployOptions = {}): Promise<Deployment> {
  const { UniswapV2Factory, UniswapV2Router02, WETH9: Weth } = uniswapV2Artifacts
  return deployExchange(
    target,
    {
      factory: [UniswapV2Factory.abi, UniswapV2Factory.bytecode],
      router: [UniswapV2Router02.abi, UniswapV2Router02.bytecode],
      weth: [Weth.abi, Weth.bytecode],
      pairInitCodeHash: UNISWAP_V2_INIT_CODE_HASH,
    },
    options,
  )
}
