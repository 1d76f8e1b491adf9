import { lazy, type ReactNode, Suspense, useState } from 'react'
import { useAccount, useDisconnect } from 'wagmi'
import { SwapPage } from '../swap/SwapPage.js'
import { ConnectDialog } from '../wallet/ConnectDialog.js'
import { WrongNetwork } from '../wallet/WrongNetwork.js'
import { useChainInfo } from './chain-context.js'
import { ConnectContext } from './connect-context.js'
import { Link, matchPath, useLocation } from './router.js'
import { ThemeToggle } from './theme.js'

// The swap page is the start page and ships in the first chunk; the others load on first visit.
const PoolsPage = lazy(() => import('../pools/PoolsPage.js').then((m) => ({ default: m.PoolsPage })))
const PoolPage = lazy(() => import('../pools/PoolPage.js').then((m) => ({ default: m.PoolPage })))
const PortfolioPage = lazy(() =>
  import('../portfolio/PortfolioPage.js').then((m) => ({ default: m.PortfolioPage })),
)
const AccountPage = lazy(() => import('../account/AccountPage.js').then((m) => ({ default: m.AccountPage })))
const TxPage = lazy(() => import('../portfolio/TxPage.js').then((m) => ({ default: m.TxPage })))

const NAV = [
  ['/swap', 'Swap'],
  ['/pools', 'Pools'],
  ['/portfolio', 'Portfolio'],
  ['/account', 'Account'],
] as const

function route(path: string): ReactNode {
  if (path === '/' || path === '/swap') return <SwapPage />
  if (path === '/pools') return <PoolsPage />
  const pool = matchPath('/pools/:address', path)
  if (pool) return <PoolPage address={pool.address ?? ''} />
  if (path === '/portfolio') return <PortfolioPage />
  if (path === '/account') return <AccountPage />
  const tx = matchPath('/tx/:hash', path)
  if (tx) return <TxPage hash={tx.hash ?? ''} />
  return (
    <section className="card">
      <h1>Page not found</h1>
      <p>
        <Link to="/swap">Go to the swap page</Link>
      </p>
    </section>
  )
}

export function App() {
  const { path } = useLocation()
  const [connectOpen, setConnectOpen] = useState(false)
  const info = useChainInfo()
  return (
    <ConnectContext.Provider value={() => setConnectOpen(true)}>
      <a href="#main" className="skip-link">
        Skip to content
      </a>
      <header className="topbar">
        <Link to="/swap" className="brand" aria-label="Soba DEX home">
          <img src="/favicon.svg" alt="" width={24} height={24} /> Soba
        </Link>
        <nav aria-label="Main">
          <ul className="nav-list">
            {NAV.map(([to, label]) => (
              <li key={to}>
                <Link
                  to={to}
                  aria-current={
                    path === to ||
                    (to === '/swap' && path === '/') ||
                    (to === '/pools' && path.startsWith('/pools/'))
                      ? 'page'
                      : undefined
                  }
                >
                  {label}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="topbar-actions">
          {info.embedded ? (
            <span className="badge" title={`chain ${info.chainId}`}>
              Dev chain
            </span>
          ) : null}
          <ThemeToggle />
          <AccountButton onConnect={() => setConnectOpen(true)} />
        </div>
      </header>
      <WrongNetwork />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<p className="muted">Loading…</p>}>{route(path)}</Suspense>
      </main>
      <ConnectDialog open={connectOpen} onClose={() => setConnectOpen(false)} />
    </ConnectContext.Provider>
  )
}

function AccountButton({ onConnect }: { onConnect: () => void }) {
  const { address, isConnected, connector } = useAccount()
  const { disconnect } = useDisconnect()
  if (!isConnected || !address) {
    return (
      <button type="button" className="button" onClick={onConnect}>
        Connect
      </button>
    )
  }
  return (
    <button
      type="button"
      className="button account-button"
      title={`${address} via ${connector?.name ?? 'wallet'}`}
      aria-label={`Connected as ${address}. Disconnect`}
      onClick={() => disconnect()}
    >
      <span className="mono">
        {address.slice(0, 6)}…{address.slice(-4)}
      </span>
    </button>
  )
}
