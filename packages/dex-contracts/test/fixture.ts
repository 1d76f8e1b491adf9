// Shared test setup: one EDR chain per test file with Soba and the original Uniswap v2
// deployed side by side, a few tokens, and snapshot/revert so each test starts clean.
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  custom,
  decodeErrorResult,
  encodeDeployData,
  type Hex,
  maxUint256,
  parseSignature,
  type TransactionReceipt,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createEdrChain, type EdrChain } from '../src/chain/edr.js'
import { type Deployment, deploySoba, deployUniswapV2 } from '../src/deploy.js'
import { SobaFactory, SobaPair, TestToken } from '../src/generated/artifacts.js'

export const E18 = 10n ** 18n
export const DEADLINE = 2n ** 40n
export const MINIMUM_LIQUIDITY = 1000n

export type Fixture = Awaited<ReturnType<typeof createFixture>>

export async function createFixture() {
  const chain: EdrChain = await createEdrChain({ accounts: 4 })
  const transport = custom(chain, { retryCount: 0 })
  const publicClient = createPublicClient({ transport })
  const [alice, bob, carol, dave] = chain.accounts.map((a) => a.address) as [
    Address,
    Address,
    Address,
    Address,
  ]
  const walletFor = (account: Address) => createWalletClient({ transport, account })

  async function send(
    address: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[] = [],
    options: { from?: Address; value?: bigint } = {},
  ): Promise<TransactionReceipt> {
    // Simulate first so a revert surfaces as a decoded error instead of a mined failure.
    await publicClient.simulateContract({
      address,
      abi,
      functionName,
      args,
      value: options.value,
      account: options.from ?? alice,
    })
    const hash = await walletFor(options.from ?? alice).writeContract({
      address,
      abi,
      functionName,
      args,
      value: options.value,
      chain: null,
    })
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 5 })
    if (receipt.status !== 'success') throw new Error(`${functionName} failed on chain`)
    return receipt
  }

  async function read<T = unknown>(
    address: Address,
    abi: Abi,
    functionName: string,
    args: readonly unknown[] = [],
  ) {
    return (await publicClient.readContract({ address, abi, functionName, args })) as T
  }

  async function deploy(abi: Abi, bytecode: Hex, args: readonly unknown[] = [], from: Address = alice) {
    await publicClient.call({ account: from, data: encodeDeployData({ abi, bytecode, args }) })
    const hash = await walletFor(from).deployContract({ abi, bytecode, args, chain: null })
    const receipt = await publicClient.waitForTransactionReceipt({ hash, pollingInterval: 5 })
    if (!receipt.contractAddress) throw new Error('deployment failed')
    return receipt.contractAddress
  }

  const soba = await deploySoba(chain)
  const uniswap = await deployUniswapV2(chain)

  /** A TestToken minted to every account and approved to both routers. */
  async function newToken(symbol: string, decimals = 18): Promise<Address> {
    const token = await deploy(TestToken.abi, TestToken.bytecode, [symbol, symbol, decimals, 1000n * E18])
    for (const account of [alice, bob, carol, dave]) {
      await send(token, TestToken.abi, 'mint', [account, 10n ** 12n * E18])
      for (const spender of [soba.router, uniswap.router]) {
        await send(token, TestToken.abi, 'approve', [spender, maxUint256], { from: account })
      }
    }
    return token
  }

  const tokens = [await newToken('TKA'), await newToken('TKB'), await newToken('TKC')] as [
    Address,
    Address,
    Address,
  ]

  async function pairOf(d: Deployment, tokenA: Address, tokenB: Address): Promise<Address> {
    return read<Address>(d.factory, SobaFactory.abi, 'getPair', [tokenA, tokenB])
  }

  async function snapshot(): Promise<Hex> {
    return (await chain.request({ method: 'evm_snapshot' })) as Hex
  }
  async function revertTo(id: Hex): Promise<void> {
    const ok = await chain.request({ method: 'evm_revert', params: [id] })
    if (ok !== true) throw new Error(`evm_revert ${id} failed`)
  }
  /** Moves the clock and mines a block, so calls at `latest` see the new time. */
  async function increaseTime(seconds: number): Promise<void> {
    await chain.request({ method: 'evm_increaseTime', params: [seconds] })
    await chain.request({ method: 'evm_mine' })
  }
  async function latestTimestamp(): Promise<bigint> {
    return (await publicClient.getBlock()).timestamp
  }

  /** EIP-2612 signature by a dev account over a pair's LP token (domain name: the pair's `name()`). */
  async function signPermit(
    pair: Address,
    owner: Address,
    spender: Address,
    value: bigint,
    deadline: bigint,
  ) {
    const key = chain.accounts.find((a) => a.address === owner)?.privateKey
    if (!key) throw new Error(`no key for ${owner}`)
    const [name, nonce] = await Promise.all([
      read<string>(pair, SobaPair.abi, 'name'),
      read<bigint>(pair, SobaPair.abi, 'nonces', [owner]),
    ])
    const signature = await privateKeyToAccount(key).signTypedData({
      domain: { name, version: '1', chainId: chain.chainId, verifyingContract: pair },
      types: {
        Permit: [
          { name: 'owner', type: 'address' },
          { name: 'spender', type: 'address' },
          { name: 'value', type: 'uint256' },
          { name: 'nonce', type: 'uint256' },
          { name: 'deadline', type: 'uint256' },
        ],
      },
      primaryType: 'Permit',
      message: { owner, spender, value, nonce, deadline },
    })
    const { v, r, s } = parseSignature(signature)
    return { v: Number(v), r, s }
  }

  return {
    chain,
    publicClient,
    accounts: { alice, bob, carol, dave },
    soba,
    uniswap,
    tokens,
    send,
    read,
    deploy,
    newToken,
    pairOf,
    snapshot,
    revertTo,
    increaseTime,
    latestTimestamp,
    signPermit,
  }
}

const standardErrors = [
  { type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] },
  { type: 'error', name: 'Panic', inputs: [{ name: 'code', type: 'uint256' }] },
] as const

function describeRevert(data: Hex): string {
  if (data === '0x') return 'reverted without reason'
  const decoded = decodeErrorResult({ abi: standardErrors, data })
  return decoded.errorName === 'Panic'
    ? `Panic(0x${(decoded.args[0] as bigint).toString(16)})`
    : (decoded.args[0] as string)
}

/** The revert of a failed call or deployment as one string: the reason, or `Panic(0x11)`. */
export async function revertOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (error) {
    if (error instanceof BaseError) {
      const revert = error.walk((e) => e instanceof ContractFunctionRevertedError)
      if (revert instanceof ContractFunctionRevertedError && revert.raw) return describeRevert(revert.raw)
      // Deployments and raw calls: find the revert bytes the node returned.
      const withData = error.walk((e) => typeof (e as { data?: unknown }).data === 'string')
      const data = (withData as { data?: unknown } | null)?.data
      if (typeof data === 'string' && data.startsWith('0x')) return describeRevert(data as Hex)
    }
    throw error
  }
  throw new Error('expected a revert, but the call succeeded')
}

/** Floor square root on bigints (reference for the contracts' Math.sqrt). */
export function sqrt(value: bigint): bigint {
  if (value < 2n) return value
  let x = value
  let y = (x + 1n) / 2n
  while (y < x) {
    x = y
    y = (x + value / x) / 2n
  }
  return x
}

/** Deterministic PRNG for property tests; failures print the seed to replay. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0
  return () => {
    a = (a + 0x6d2b79f5) >>> 0
    let t = a
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

/** Bigint in [min, max] from a PRNG (uniform up to a negligible modulo bias). */
export function randomBigInt(rand: () => number, min: bigint, max: bigint): bigint {
  const span = max - min + 1n
  // 64 random bits beyond the span's width keep the modulo bias negligible.
  const words = Math.max(4, Math.ceil(span.toString(2).length / 32) + 2)
  let r = 0n
  for (let i = 0; i < words; i++) r = (r << 32n) | BigInt(Math.floor(rand() * 4294967296))
  return min + (r % span)
}
