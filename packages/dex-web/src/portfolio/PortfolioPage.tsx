import { useQuery } from '@tanstack/react-query'
import { useAccount, useBlockNumber } from 'wagmi'
import { useOpenConnect } from '../app/connect-context.js'
import { Link } from '../app/router.js'
import { formatAmount } from '../lib/amounts.js'
import { api } from '../lib/api.js'
import type { PoolsReply, TokenRef } from '../lib/types.js'
import { symbolOf } from '../pools/usePools.js'
import { ETH } from '../swap/currency.js'

interface PortfolioReply {
  quoteToken: TokenRef | null
  native: { balance: string; value: string | null }
  tokens: Array<TokenRef & { balance: string; value: string | null }>
  positions: Array<{
    pool: string
    token0: TokenRef
    token1: TokenRef
    liquidity: string
    share: string
    amount0: string
    amount1: string
    value: string | null
  }>
  totalValue: string
}

type HistoryEntry =
  | {
      kind: 'swap'
      txHash: string
      blockNumber: number
      logIndex: number
      time: string
      pool: string
      pools: string[]
      tokenIn: TokenRef
      amountIn: string
      tokenOut: TokenRef
      amountOut: string
      recipient: string
      txFrom: string | null
      /** tokenIn is WETH the router wrapped from the ETH the account paid. */
      nativeIn: boolean
      /** tokenOut is WETH the router unwrapped into the ETH the account received. */
      nativeOut: boolean
    }
  | {
      kind: 'mint' | 'burn'
      txHash: string
      blockNumber: number
      logIndex: number
      time: string
      pool: string
      amount0: string
      amount1: string
      liquidity: string
    }

interface HistoryReply {
  activity: HistoryEntry[]
}

/** Balances, LP positions (value and share) and the account's swap and liquidity history. */
export function PortfolioPage() {
  const { address, isConnected } = useAccount()
  const openConnect = useOpenConnect()
  const { data: block } = useBlockNumber({ watch: true })
  const portfolio = useQuery({
    queryKey: ['portfolio', address, block?.toString()],
    enabled: address !== undefined,
    placeholderData: (previous) => previous,
    queryFn: () => api<PortfolioReply>(`/v1/wallet/${address}/portfolio`),
  })
  const history = useQuery({
    queryKey: ['history', address, block?.toString()],
    enabled: address !== undefined,
    placeholderData: (previous) => previous,
    queryFn: () => api<HistoryReply>(`/v1/wallet/${address}/history?limit=25`),
  })
  const pools = useQuery({ queryKey: ['pools'], queryFn: () => api<PoolsReply>('/v1/pools') })
  if (!isConnected) {
    return (
      <section className="card" aria-labelledby="portfolio-title">
        <h1 id="portfolio-title">Portfolio</h1>
        <p>Connect a wallet to see its balances, positions and history.</p>
        <button type="button" className="button button-primary" onClick={openConnect}>
          Connect wallet
        </button>
      </section>
    )
  }
  const data = portfolio.data
  const quote = data?.quoteToken
  /** A value in the quote token, as a bare number (the table names the unit once, in its header). */
  const quoteAmount = (value: string | null) =>
    value === null || !quote || quote.decimals === null
      ? '–'
      : formatAmount(BigInt(value), quote.decimals, { fractionDigits: 2 })
  const money = (value: string | null) =>
    value === null || !quote?.symbol ? quoteAmount(value) : `${quoteAmount(value)} ${quote.symbol}`
  const poolOf = (address: string) => pools.data?.pools.find((p) => p.address === address)
  return (
    <div className="stack">
      <section className="card wide" aria-labelledby="portfolio-title">
        <h1 id="portfolio-title">Portfolio</h1>
        {portfolio.error ? (
          <p role="alert" className="error-text">
            {portfolio.error.message}
          </p>
        ) : null}
        {data ? (
          <>
            <p className="total">
              Total value: <strong>{money(data.totalValue)}</strong>
            </p>
            <h2>Balances</h2>
            <div className="table-scroll">
              <table className="table">
                <thead>
                  <tr>
                    <th scope="col">Token</th>
                    <th scope="col" className="num">
                      Balance
                    </th>
                    <th scope="col" className="num">
                      {quote?.symbol ? `Value (${quote.symbol})` : 'Value'}
                    </th>
                  </tr>
                </thead>
                <tbody>
                  <tr>
                    <th scope="row">ETH</th>
                    <td className="num">{formatAmount(BigInt(data.native.balance), 18)}</td>
                    <td className="num">{quoteAmount(data.native.value)}</td>
                  </tr>
                  {data.tokens.map((t) => (
                    <tr key={t.address}>
                      <th scope="row">{symbolOf(t)}</th>
                      <td className="num">{formatAmount(BigInt(t.balance), t.decimals ?? 18)}</td>
                      <td className="num">{quoteAmount(t.value)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </>
        ) : (
          <p className="muted">Loading…</p>
        )}
      </section>
      <section className="card wide" aria-labelledby="positions-title">
        <h2 id="positions-title">Liquidity positions</h2>
        {data && data.positions.length === 0 ? <p className="muted">No liquidity positions.</p> : null}
        <ul className="position-list" aria-label="Liquidity positions">
          {data?.positions.map((p) => (
            <li key={p.pool} className="position">
              <Link to={`/pools/${p.pool}`}>
                {symbolOf(p.token0)}/{symbolOf(p.token1)}
              </Link>
              <span>
                {formatAmount(BigInt(p.amount0), p.token0.decimals ?? 18)} {symbolOf(p.token0)} +{' '}
                {formatAmount(BigInt(p.amount1), p.token1.decimals ?? 18)} {symbolOf(p.token1)}
              </span>
              <span>Share {p.share}%</span>
              <span>Value {money(p.value)}</span>
            </li>
          ))}
        </ul>
      </section>
      <section className="card wide" aria-labelledby="activity-title">
        <h2 id="activity-title">History</h2>
        {history.data && history.data.activity.length === 0 ? (
          <p className="muted">No swaps or liquidity changes yet.</p>
        ) : null}
        <ul className="activity-list" aria-label="Account history">
          {history.data?.activity.map((a) => {
            const fmt = (v: string, t: TokenRef | null, native = false) =>
              t ? `${formatAmount(BigInt(v), t.decimals ?? 18)} ${native ? ETH.symbol : symbolOf(t)}` : ''
            let text: string
            if (a.kind === 'swap') {
              // The pool traded WETH either way; say ETH where the user paid or received ETH.
              const via = a.pools.length > 1 ? ` (${a.pools.length} hops)` : ''
              text = `Swapped ${fmt(a.amountIn, a.tokenIn, a.nativeIn)} for ${fmt(a.amountOut, a.tokenOut, a.nativeOut)}${via}`
            } else {
              const [t0, t1] = poolOf(a.pool)?.tokens ?? [null, null]
              text = `${a.kind === 'mint' ? 'Added' : 'Removed'} ${fmt(a.amount0, t0)} and ${fmt(a.amount1, t1)}`
            }
            return (
              <li key={`${a.txHash}:${a.logIndex}`}>
                <time dateTime={a.time}>{new Date(a.time).toLocaleString()}</time> {text}{' '}
                <Link to={`/tx/${a.txHash}`} className="small">
                  details
                </Link>
              </li>
            )
          })}
        </ul>
      </section>
    </div>
  )
}
