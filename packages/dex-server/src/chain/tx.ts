import { type Abi, type Address, decodeFunctionResult, encodeFunctionData, type Hex } from 'viem'
import type { Eip1193 } from './rpc.js'

export interface TxReceipt {
  status: string
  blockNumber: string
  contractAddress: string | null
  transactionHash: string
}

export interface TxRequest {
  from: Address
  to?: Address
  data?: Hex
  value?: bigint
  gas?: bigint
}

/** Sends through the node's unlocked account (eth_sendTransaction); returns the hash. */
export async function sendTx(rpc: Eip1193, tx: TxRequest): Promise<Hex> {
  return (await rpc.request({
    method: 'eth_sendTransaction',
    params: [
      {
        from: tx.from,
        ...(tx.to ? { to: tx.to } : {}),
        ...(tx.data ? { data: tx.data } : {}),
        ...(tx.value !== undefined ? { value: `0x${tx.value.toString(16)}` } : {}),
        ...(tx.gas !== undefined ? { gas: `0x${tx.gas.toString(16)}` } : {}),
      },
    ],
  })) as Hex
}

export async function waitReceipt(rpc: Eip1193, hash: Hex, timeoutMs = 30_000): Promise<TxReceipt> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const receipt = (await rpc.request({
      method: 'eth_getTransactionReceipt',
      params: [hash],
    })) as TxReceipt | null
    if (receipt) return receipt
    if (Date.now() > deadline) throw new Error(`transaction ${hash} was not mined within ${timeoutMs} ms`)
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
}

/** Sends, waits for the receipt and throws when the transaction reverted. */
export async function execute(rpc: Eip1193, tx: TxRequest): Promise<TxReceipt> {
  const receipt = await waitReceipt(rpc, await sendTx(rpc, tx))
  if (receipt.status !== '0x1') throw new Error(`transaction ${receipt.transactionHash} reverted`)
  return receipt
}

export function encodeCall(abi: Abi, functionName: string, args: readonly unknown[] = []): Hex {
  return encodeFunctionData({ abi, functionName, args } as Parameters<typeof encodeFunctionData>[0])
}

export async function readContract<T>(
  rpc: Eip1193,
  to: Address,
  abi: Abi,
  functionName: string,
  args: readonly unknown[] = [],
): Promise<T> {
  const data = (await rpc.request({
    method: 'eth_call',
    params: [{ to, data: encodeCall(abi, functionName, args) }, 'latest'],
  })) as Hex
  return decodeFunctionResult({ abi, functionName, data } as Parameters<typeof decodeFunctionResult>[0]) as T
}
