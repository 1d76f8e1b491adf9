import { QueryClient, QueryClientProvider } from '@tanstack/react-query'
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { WagmiProvider } from 'wagmi'
import { App } from './app/App.js'
import { ChainContext } from './app/chain-context.js'
import { applyTheme, initialTheme } from './app/theme.js'
import { api } from './lib/api.js'
import type { ChainInfo } from './lib/types.js'
import { createWagmiConfig } from './wallet/config.js'
import './styles.css'

applyTheme(initialTheme())
const root = createRoot(document.getElementById('root') as HTMLElement)

try {
  // wagmi needs the chain before it starts: the one request on the critical path.
  const info = await api<ChainInfo>('/v1/chain')
  const config = createWagmiConfig(info, window.location)
  const queryClient = new QueryClient({
    defaultOptions: { queries: { retry: 1, refetchOnWindowFocus: false } },
  })
  root.render(
    <StrictMode>
      <ChainContext.Provider value={info}>
        <WagmiProvider config={config}>
          <QueryClientProvider client={queryClient}>
            <App />
          </QueryClientProvider>
        </WagmiProvider>
      </ChainContext.Provider>
    </StrictMode>,
  )
} catch (error) {
  root.render(
    <main className="card" role="alert">
      <h1>Soba DEX is unavailable</h1>
      <p>The DEX server did not answer /v1/chain: {(error as Error).message}</p>
    </main>,
  )
}
