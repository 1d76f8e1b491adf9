import { createPublicClient, custom, type PublicClient } from 'viem'

/** The EIP-1193 surface the chain handle exposes (EDR in process, or a JSON-RPC endpoint). */
export interface Eip1193Like {
  request(args: { method: string; params?: readonly unknown[] | object }): Promise<unknown>
}

/** A viem public client over the chain handle's provider; reads only, never a key. */
export function publicClientFor(rpc: Eip1193Like): PublicClient {
  return createPublicClient({ transport: custom(rpc), pollingInterval: 250 }) as PublicClient
}
