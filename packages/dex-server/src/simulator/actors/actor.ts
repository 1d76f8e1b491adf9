import { SobaRouter } from '@soba/contracts'
import { type Abi, type Address, keccak256, maxUint256, toHex } from 'viem'
import type { Eip1193 } from '../../chain/rpc.js'
import type { SeedToken } from '../../chain/seed.js'
import { encodeCall, sendTx, waitReceipt } from '../../chain/tx.js'
import type { LabelSink } from './labels.js'

/** A pool as an actor sees it at the start of a tick: reserves as of the last mined block. */
export interface LivePool {
  address: Address
  token0: Address
  token1: Address
  r0: bigint
  r1: bigint
}

export interface ActorContext {
  rpc: Eip1193
  router: Address
  factory: Address
  weth: Address
  tokens: SeedToken[]
  /** Dev accounts the noise traders use (the sandwich bot's victims, the honeypot's buyers). */
  traders: Address[]
  /** A dev account that funds every actor: it funds so many accounts it reads as an exchange. */
  treasury: Address
  labels: LabelSink
  seed: number
}

/** A planted actor: sets itself up once, acts each simulator tick, and confirms its labels. */
export interface PlantedActor {
  readonly name: string
  setup(): Promise<void>
  tick(pools: LivePool[]): Promise<void>
  /** Reads receipts of what it sent and writes the labels of what actually landed. */
  settle(): Promise<void>
}

const DEADLINE = 2n ** 64n
export const GAS = 600_000n
const GWEI = 1_000_000_000n

/** A fresh address derived from the seed and a name: the same run gets the same actors. */
export function actorAddress(seed: number, name: string): Address {
  return `0x${keccak256(toHex(`soba-actor:${seed}:${name}`)).slice(26)}` as Address
}

/** Lets the node sign for a fresh address (EDR's hardhat_impersonateAccount). */
export async function impersonate(rpc: Eip1193, address: Address): Promise<void> {
  await rpc.request({ method: 'hardhat_impersonateAccount', params: [address] })
}

export interface SendOptions {
  value?: bigint
  /** Priority fee in gwei: the node orders a block by it, which is how the sandwich bot lines up. */
  tipGwei?: number
}

/** Sends without waiting for the receipt; returns the hash, or null when the node refused it. */
export async function send(
  rpc: Eip1193,
  from: Address,
  to: Address,
  data: `0x${string}`,
  options: SendOptions = {},
): Promise<`0x${string}` | null> {
  const tip =
    options.tipGwei === undefined ? undefined : (BigInt(Math.round(options.tipGwei * 100)) * GWEI) / 100n
  try {
    return (await rpc.request({
      method: 'eth_sendTransaction',
      params: [
        {
          from,
          to,
          data,
          gas: `0x${GAS.toString(16)}`,
          ...(options.value !== undefined ? { value: `0x${options.value.toString(16)}` } : {}),
          ...(tip !== undefined
            ? {
                maxPriorityFeePerGas: `0x${tip.toString(16)}`,
                maxFeePerGas: `0x${(tip + 200n * GWEI).toString(16)}`,
              }
            : {}),
        },
      ],
    })) as `0x${string}`
  } catch {
    return null
  }
}

/** Sends and waits for the receipt; throws when it reverted (setup steps only). */
export async function sendAndWait(
  rpc: Eip1193,
  from: Address,
  to: Address | undefined,
  data: `0x${string}`,
  value?: bigint,
) {
  const hash = await sendTx(rpc, {
    from,
    ...(to ? { to } : {}),
    data,
    gas: 5_000_000n,
    ...(value !== undefined ? { value } : {}),
  })
  const receipt = await waitReceipt(rpc, hash)
  if (receipt.status !== '0x1') throw new Error(`setup transaction ${hash} reverted`)
  return receipt
}

export const swapCall = (amountIn: bigint, minOut: bigint, path: Address[], to: Address) =>
  encodeCall(SobaRouter.abi as Abi, 'swapExactTokensForTokens', [amountIn, minOut, path, to, DEADLINE])

export const feeTokenSellCall = (amountIn: bigint, path: Address[], to: Address) =>
  encodeCall(SobaRouter.abi as Abi, 'swapExactTokensForTokensSupportingFeeOnTransferTokens', [
    amountIn,
    0n,
    path,
    to,
    DEADLINE,
  ])

export const approveCall = (spender: Address) =>
  encodeCall(
    [
      {
        type: 'function',
        name: 'approve',
        inputs: [{ type: 'address' }, { type: 'uint256' }],
        outputs: [{ type: 'bool' }],
        stateMutability: 'nonpayable',
      },
    ],
    'approve',
    [spender, maxUint256],
  )

export const transferCall = (to: Address, amount: bigint) =>
  encodeCall(
    [
      {
        type: 'function',
        name: 'transfer',
        inputs: [{ type: 'address' }, { type: 'uint256' }],
        outputs: [{ type: 'bool' }],
        stateMutability: 'nonpayable',
      },
    ],
    'transfer',
    [to, amount],
  )

/** Constant-product output after the 0.30% fee. */
export function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint): bigint {
  if (amountIn <= 0n || reserveIn <= 0n || reserveOut <= 0n) return 0n
  const withFee = amountIn * 997n
  return (withFee * reserveOut) / (reserveIn * 1000n + withFee)
}

/** Reserves of `pool` ordered as (tokenIn side, tokenOut side). */
export function sides(pool: LivePool, tokenIn: Address): [bigint, bigint] {
  return pool.token0 === tokenIn ? [pool.r0, pool.r1] : [pool.r1, pool.r0]
}

/**
 * Funds a fresh actor address from `funder`: ETH for gas, then `amount(token)` of each token,
 * and approves the router for every token; the funding transfers are what clustering reads.
 */
export async function fundActor(
  context: ActorContext,
  funder: Address,
  actor: Address,
  tokens: Array<{ address: Address; amount: bigint }>,
  eth = 10n ** 18n * 5n,
): Promise<void> {
  await impersonate(context.rpc, actor)
  await sendAndWait(context.rpc, funder, actor, '0x', eth)
  for (const token of tokens) {
    if (token.amount > 0n)
      await sendAndWait(context.rpc, funder, token.address, transferCall(actor, token.amount))
    await sendAndWait(context.rpc, actor, token.address, approveCall(context.router))
  }
}
