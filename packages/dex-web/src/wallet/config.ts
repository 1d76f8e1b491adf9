import { type Chain, defineChain } from 'viem'
import { createConfig, http } from 'wagmi'
import { injected, walletConnect } from 'wagmi/connectors'
import type { ChainInfo } from '../lib/types.js'
import { devAccountIndex, devWallet } from './dev-wallet.js'

/** The chain /v1/chain describes, as viem needs it. */
export function chainOf(info: ChainInfo): Chain {
  return defineChain({
    id: info.chainId,
    name: info.embedded ? 'Soba dev chain' : `Chain ${info.chainId}`,
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [info.rpcUrl] } },
    testnet: info.embedded,
  })
}

/**
 * wagmi for this deployment: EIP-6963 wallets are discovered by wagmi itself
 * (multiInjectedProviderDiscovery), plus the generic injected one, WalletConnect when a project id
 * is configured, and the Dev wallet on the embedded chain.
 */
export function createWagmiConfig(info: ChainInfo, location: { search: string; origin: string }) {
  const chain = chainOf(info)
  const connectors = [injected()]
  if (info.walletConnectProjectId) {
    connectors.push(
      walletConnect({
        projectId: info.walletConnectProjectId,
        metadata: {
          name: 'Soba DEX',
          description: 'Swap and provide liquidity',
          url: location.origin,
          icons: [],
        },
      }) as unknown as ReturnType<typeof injected>,
    )
  }
  if (info.embedded) {
    const storage = typeof sessionStorage === 'undefined' ? undefined : sessionStorage
    connectors.push(
      devWallet({
        rpcUrl: info.rpcUrl,
        chainId: info.chainId,
        accountIndex: devAccountIndex(location.search, storage),
      }) as unknown as ReturnType<typeof injected>,
    )
  }
  return createConfig({
    chains: [chain],
    connectors,
    multiInjectedProviderDiscovery: true,
    // The embedded chain mines a block a second; a public chain every few seconds.
    pollingInterval: info.embedded ? 1_000 : 4_000,
    transports: { [chain.id]: http(info.rpcUrl, { batch: true }) },
  })
}

export type WagmiConfig = ReturnType<typeof createWagmiConfig>
