/** The EIP-1193 surface the DEX server needs from a chain: the in-process EDR or any JSON-RPC. */
export interface Eip1193 {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>
}

export interface RpcBlockHeader {
  number: string
  hash: string
  parentHash: string
  timestamp: string
}

export async function getBlockHeader(
  rpc: Eip1193,
  number: number | 'latest',
): Promise<RpcBlockHeader | null> {
  const tag = number === 'latest' ? 'latest' : `0x${number.toString(16)}`
  return (await rpc.request({
    method: 'eth_getBlockByNumber',
    params: [tag, false],
  })) as RpcBlockHeader | null
}

export async function getBlockNumber(rpc: Eip1193): Promise<number> {
  return Number(await rpc.request({ method: 'eth_blockNumber', params: [] }))
}

export async function getChainId(rpc: Eip1193): Promise<number> {
  return Number(await rpc.request({ method: 'eth_chainId', params: [] }))
}

export const toQuantity = (value: number | bigint): string => `0x${value.toString(16)}`
