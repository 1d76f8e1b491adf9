/**
 * The dex-web benchmark's peer: the least a Vite + React + wagmi page needs to show one quote.
 * It reads /v1/chain (wagmi needs the chain), offers an injected wallet, and asks /v1/quote on each
 * keystroke (no debounce, no token list, no settings), showing the amount out.
 */
import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { useState } from 'react'
import { createRoot } from 'react-dom/client'
import { defineChain, formatUnits, parseUnits } from 'viem'
import { createConfig, http, useAccount, useConnect, WagmiProvider } from 'wagmi'
import { injected } from 'wagmi/connectors'

interface ChainInfo {
  chainId: number
  rpcUrl: string
  tokens: Array<{ address: string; symbol: string; decimals: number }>
}

function Quote({ info }: { info: ChainInfo }) {
  const usdc = info.tokens.find((t) => t.symbol === 'USDC')!
  const [amountOut, setAmountOut] = useState('')
  const { isConnected } = useAccount()
  const { connect, connectors } = useConnect()
  return (
    <main>
      <h1>Swap</h1>
      <label>
        You pay
        <input
          onChange={async (e) => {
            const response = await fetch(
              `/v1/quote?tokenIn=ETH&tokenOut=${usdc.address}&amountIn=${parseUnits(e.target.value || '0', 18)}`,
            )
            const quote = await response.json()
            setAmountOut(response.ok ? formatUnits(BigInt(quote.amountOut), usdc.decimals) : '')
          }}
        />
      </label>
      <label>
        You receive
        <output>{amountOut}</output>
      </label>
      {isConnected ? null : (
        <button type="button" onClick={() => connectors[0] && connect({ connector: connectors[0] })}>
          Connect wallet
        </button>
      )}
    </main>
  )
}

const info = (await (await fetch('/v1/chain')).json()) as ChainInfo
const chain = defineChain({
  id: info.chainId,
  name: 'chain',
  nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [info.rpcUrl] } },
})
const config = createConfig({
  chains: [chain],
  connectors: [injected()],
  transports: { [chain.id]: http(info.rpcUrl) },
})
createRoot(document.getElementById('root')!).render(
  <WagmiProvider config={config}>
    <QueryClientProvider client={new QueryClient()}>
      <Quote info={info} />
    </QueryClientProvider>
  </WagmiProvider>,
)
