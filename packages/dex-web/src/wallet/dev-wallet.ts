import { type Address, getAddress, numberToHex } from 'viem'
import { createConnector } from 'wagmi'

/**
 * The simulator trades from dev accounts 1–7 and seeds from 0 (dex-server main.ts); account 8 is
 * the first one nobody else moves, so balances on screen change only by the user's own trades.
 */
export const DEFAULT_DEV_ACCOUNT = 8

export interface Eip1193Provider {
  request(args: { method: string; params?: unknown }): Promise<unknown>
}

class RpcError extends Error {
  constructor(
    readonly code: number,
    message: string,
    readonly data?: unknown,
  ) {
    super(message)
  }
}

/**
 * An EIP-1193 provider over the embedded node's JSON-RPC that acts as one of its unlocked
 * accounts: the node signs, so the page holds no key. Only the account choice is local.
 */
export function devProvider(
  rpcUrl: string,
  accountIndex: number,
  chainId: number,
): Eip1193Provider & { account(): Promise<Address> } {
  let id = 0
  let account: Promise<Address> | undefined
  const rpc = async (method: string, params: unknown = []): Promise<unknown> => {
    const response = await fetch(rpcUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ jsonrpc: '2.0', id: ++id, method, params }),
    })
    const body = (await response.json()) as {
      result?: unknown
      error?: { code: number; message: string; data?: unknown }
    }
    if (body.error) throw new RpcError(body.error.code, body.error.message, body.error.data)
    return body.result
  }
  const selected = () => {
    account ??= (rpc('eth_accounts') as Promise<string[]>).then((all) => {
      const chosen = all[accountIndex]
      if (chosen === undefined)
        throw new RpcError(4100, `the node has no dev account ${accountIndex} (it has ${all.length})`)
      return getAddress(chosen)
    })
    return account
  }
  return {
    account: selected,
    async request({ method, params }) {
      switch (method) {
        case 'eth_accounts':
        case 'eth_requestAccounts':
          return [await selected()]
        case 'eth_chainId':
          return numberToHex(chainId)
        case 'wallet_switchEthereumChain': {
          const wanted = Number((params as Array<{ chainId: string }>)[0]?.chainId)
          if (wanted === chainId) return null
          throw new RpcError(4902, `the Dev wallet only knows chain ${chainId}`)
        }
        case 'eth_sendTransaction': {
          // The node signs for whatever `from` says: pin it to the selected account.
          const [tx] = params as [Record<string, unknown>]
          return rpc(method, [{ ...tx, from: await selected() }])
        }
        default:
          return rpc(method, params)
      }
    },
  }
}

/** The account index from `?devAccount=N` (kept for the session), else the default. */
export function devAccountIndex(search: string, storage?: Pick<Storage, 'getItem' | 'setItem'>): number {
  const fromUrl = new URLSearchParams(search).get('devAccount')
  if (fromUrl !== null && /^\d{1,3}$/.test(fromUrl)) {
    storage?.setItem('soba.devAccount', fromUrl)
    return Number(fromUrl)
  }
  const stored = storage?.getItem('soba.devAccount')
  return stored !== null && stored !== undefined && /^\d{1,3}$/.test(stored)
    ? Number(stored)
    : DEFAULT_DEV_ACCOUNT
}

/** wagmi connector for the Dev wallet; offered only when /v1/chain says the chain is embedded. */
export function devWallet(options: { rpcUrl: string; chainId: number; accountIndex: number }) {
  const provider = devProvider(options.rpcUrl, options.accountIndex, options.chainId)
  // Remembered only after the user picks the Dev wallet, so a page load never connects by itself.
  const CONNECTED = 'soba-dev-wallet.connected'
  return createConnector<Eip1193Provider>((config) => ({
    id: 'soba-dev-wallet',
    name: `Dev wallet (account ${options.accountIndex})`,
    type: 'devWallet',
    async connect() {
      const accounts = [await provider.account()]
      await config.storage?.setItem(CONNECTED, true)
      config.emitter.emit('change', { accounts, chainId: options.chainId })
      return { accounts, chainId: options.chainId } as never
    },
    async disconnect() {
      await config.storage?.removeItem(CONNECTED)
    },
    async getAccounts() {
      return [await provider.account()]
    },
    async getChainId() {
      return options.chainId
    },
    async getProvider() {
      return provider
    },
    async isAuthorized() {
      // The node's dev accounts are unlocked: "authorized" means the user chose this wallet before.
      return Boolean(await config.storage?.getItem(CONNECTED))
    },
    onAccountsChanged() {},
    onChainChanged() {},
    onDisconnect() {
      config.emitter.emit('disconnect')
    },
  }))
}
