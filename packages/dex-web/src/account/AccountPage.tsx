import { useQuery, useQueryClient } from '@tanstack/react-query'
import { useState } from 'react'
import { createSiweMessage } from 'viem/siwe'
import { useAccount, useSignMessage } from 'wagmi'
import { useChainInfo } from '../app/chain-context.js'
import { useOpenConnect } from '../app/connect-context.js'
import { useMarketPrices } from '../app/useMarketPrices.js'
import { formatAmount, formatDecimal } from '../lib/amounts.js'
import { api } from '../lib/api.js'
import { usePriceChanges } from '../pools/usePools.js'
import { useCurrencies } from '../swap/useCurrencies.js'
import { Change } from '../ui/Change.js'
import { authed, loadSession, type StoredSession, saveSession } from './session.js'

interface Alert {
  id: string
  baseToken: string
  quoteToken: string
  direction: 'above' | 'below'
  price: string
  note: string | null
  triggeredAt: string | null
  currentPrice: string | null
}

/** Sign-In with Ethereum, then the wallet's watchlist and price alerts (the account API). */
export function AccountPage() {
  const { address, isConnected } = useAccount()
  const openConnect = useOpenConnect()
  const [session, setSession] = useState<StoredSession | null>(() => loadSession(address))
  const current =
    session && address && session.address.toLowerCase() === address.toLowerCase() ? session : null
  if (!isConnected || !address) {
    return (
      <section className="card" aria-labelledby="account-title">
        <h1 id="account-title">Account</h1>
        <p>Connect a wallet, then sign in to keep a watchlist and price alerts.</p>
        <button type="button" className="button button-primary" onClick={openConnect}>
          Connect wallet
        </button>
      </section>
    )
  }
  return (
    <div className="stack">
      <section className="card" aria-labelledby="account-title">
        <h1 id="account-title">Account</h1>
        {current ? (
          <SignedIn
            session={current}
            onSignOut={() => {
              void authed(current, '/v1/auth/logout', { method: 'POST' }).catch(() => undefined)
              saveSession(null)
              setSession(null)
            }}
          />
        ) : (
          <SignIn address={address} onSignedIn={setSession} />
        )}
      </section>
      {current ? (
        <>
          <Watchlist session={current} />
          <Alerts session={current} />
        </>
      ) : null}
    </div>
  )
}

function SignIn({ address, onSignedIn }: { address: `0x${string}`; onSignedIn: (s: StoredSession) => void }) {
  const { signMessageAsync } = useSignMessage()
  const [error, setError] = useState<string | null>(null)
  const [busy, setBusy] = useState(false)
  const signIn = async () => {
    setBusy(true)
    setError(null)
    try {
      const nonce = await api<{ nonce: string; domain: string; chainId: number; expiresAt: string }>(
        '/v1/auth/nonce',
      )
      const message = createSiweMessage({
        domain: nonce.domain,
        address,
        statement: 'Sign in to Soba DEX to keep a watchlist and price alerts. This costs nothing.',
        uri: window.location.origin,
        version: '1',
        chainId: nonce.chainId,
        nonce: nonce.nonce,
        issuedAt: new Date(),
        expirationTime: new Date(Date.now() + 24 * 3_600_000),
      })
      const signature = await signMessageAsync({ message })
      const session = await api<{ token: string; address: string; expiresAt: string }>('/v1/auth/verify', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ message, signature }),
      })
      const stored = { token: session.token, address: session.address, expiresAt: session.expiresAt }
      saveSession(stored)
      onSignedIn(stored)
    } catch (e) {
      setError((e as Error).message.split('\n')[0] ?? 'Sign-in failed')
    } finally {
      setBusy(false)
    }
  }
  return (
    <>
      <p>Sign a message with your wallet to prove you own {address}. No transaction, no fee.</p>
      <button type="button" className="button button-primary" disabled={busy} onClick={signIn}>
        {busy ? 'Confirm in your wallet…' : 'Sign in with Ethereum'}
      </button>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
    </>
  )
}

function SignedIn({ session, onSignOut }: { session: StoredSession; onSignOut: () => void }) {
  return (
    <div className="row spread">
      <p role="status">
        Signed in as <span className="mono">{session.address}</span>
      </p>
      <button type="button" className="button" onClick={onSignOut}>
        Sign out
      </button>
    </div>
  )
}

function Watchlist({ session }: { session: StoredSession }) {
  const info = useChainInfo()
  const { currencies } = useCurrencies(info.chainId)
  const client = useQueryClient()
  const tokens = currencies.flatMap((c) => (c.kind === 'token' ? [c] : []))
  const [choice, setChoice] = useState('')
  const [error, setError] = useState<string | null>(null)
  const { priceOf } = useMarketPrices()
  const changes = usePriceChanges()
  const list = useQuery({
    queryKey: ['watchlist', session.address],
    queryFn: () =>
      authed<{ tokens: Array<{ token: string; symbol: string | null }> }>(
        loadSession(session.address) ?? session,
        '/v1/account/watchlist',
      ),
  })
  const change = async (method: 'PUT' | 'DELETE', token: string) => {
    setError(null)
    try {
      await authed(loadSession(session.address) ?? session, `/v1/account/watchlist/${token}`, { method })
      await client.invalidateQueries({ queryKey: ['watchlist', session.address] })
    } catch (e) {
      setError((e as Error).message)
    }
  }
  return (
    <section className="card" aria-labelledby="watchlist-title">
      <h2 id="watchlist-title">Watchlist</h2>
      <form
        className="row"
        onSubmit={(event) => {
          event.preventDefault()
          if (choice) void change('PUT', choice)
        }}
      >
        <label className="visually-hidden" htmlFor="watch-token">
          Token to watch
        </label>
        <select
          id="watch-token"
          className="text-input"
          value={choice}
          onChange={(e) => setChoice(e.target.value)}
        >
          <option value="">Choose a token</option>
          {tokens.map((t) => (
            <option key={t.address} value={t.address}>
              {t.symbol}
            </option>
          ))}
        </select>
        <button type="submit" className="button" disabled={!choice}>
          Add to watchlist
        </button>
      </form>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <ul className="watch-list" aria-label="Watched tokens">
        {list.data?.tokens.map((t) => (
          <li key={t.token}>
            <span>{t.symbol ?? t.token}</span>
            <WatchedPrice price={priceOf(t.token)} change={changes.tokenChange(t.token)} />
            <button
              type="button"
              className="link-button"
              aria-label={`Remove ${t.symbol ?? t.token} from the watchlist`}
              onClick={() => change('DELETE', t.token)}
            >
              Remove
            </button>
          </li>
        ))}
        {list.data && list.data.tokens.length === 0 ? <li className="muted">Nothing watched yet.</li> : null}
      </ul>
    </section>
  )
}

function WatchedPrice({
  price,
  change,
}: {
  price: { value: bigint; decimals: number; symbol: string } | null
  change: string | null
}) {
  if (!price) return <span className="muted">no price</span>
  return (
    <span>
      {formatAmount(price.value, price.decimals)} {price.symbol} · 24h <Change percent={change} />
    </span>
  )
}

function Alerts({ session }: { session: StoredSession }) {
  const info = useChainInfo()
  const { currencies } = useCurrencies(info.chainId)
  const client = useQueryClient()
  const tokens = currencies.flatMap((c) => (c.kind === 'token' ? [c] : []))
  const [form, setForm] = useState({
    baseToken: '',
    quoteToken: '',
    direction: 'above' as 'above' | 'below',
    price: '',
  })
  const [error, setError] = useState<string | null>(null)
  const list = useQuery({
    queryKey: ['alerts', session.address],
    queryFn: () => authed<{ alerts: Alert[] }>(loadSession(session.address) ?? session, '/v1/account/alerts'),
    refetchInterval: 15_000,
  })
  const symbol = (address: string) =>
    tokens.find((t) => t.address.toLowerCase() === address.toLowerCase())?.symbol ?? address.slice(0, 8)
  const submit = async () => {
    setError(null)
    try {
      await authed(loadSession(session.address) ?? session, '/v1/account/alerts', {
        method: 'POST',
        body: JSON.stringify(form),
      })
      setForm({ ...form, price: '' })
      await client.invalidateQueries({ queryKey: ['alerts', session.address] })
    } catch (e) {
      setError((e as Error).message)
    }
  }
  const remove = async (id: string) => {
    await authed(loadSession(session.address) ?? session, `/v1/account/alerts/${id}`, {
      method: 'DELETE',
    }).catch((e: Error) => setError(e.message))
    await client.invalidateQueries({ queryKey: ['alerts', session.address] })
  }
  return (
    <section className="card" aria-labelledby="alerts-title">
      <h2 id="alerts-title">Price alerts</h2>
      <form
        className="alert-form"
        onSubmit={(event) => {
          event.preventDefault()
          void submit()
        }}
      >
        <label>
          When 1
          <select
            className="text-input"
            value={form.baseToken}
            onChange={(e) => setForm({ ...form, baseToken: e.target.value })}
            aria-label="Base token"
          >
            <option value="">token</option>
            {tokens.map((t) => (
              <option key={t.address} value={t.address}>
                {t.symbol}
              </option>
            ))}
          </select>
        </label>
        <label>
          is
          <select
            className="text-input"
            value={form.direction}
            onChange={(e) => setForm({ ...form, direction: e.target.value as 'above' | 'below' })}
            aria-label="Direction"
          >
            <option value="above">above</option>
            <option value="below">below</option>
          </select>
        </label>
        <label>
          <span className="visually-hidden">Price</span>
          <input
            className="text-input"
            inputMode="decimal"
            placeholder="price"
            value={form.price}
            onChange={(e) => setForm({ ...form, price: e.target.value.replace(',', '.') })}
            aria-label="Alert price"
          />
        </label>
        <label>
          <select
            className="text-input"
            value={form.quoteToken}
            onChange={(e) => setForm({ ...form, quoteToken: e.target.value })}
            aria-label="Quote token"
          >
            <option value="">token</option>
            {tokens.map((t) => (
              <option key={t.address} value={t.address}>
                {t.symbol}
              </option>
            ))}
          </select>
        </label>
        <button
          type="submit"
          className="button"
          disabled={!form.baseToken || !form.quoteToken || !form.price}
        >
          Create alert
        </button>
      </form>
      {error ? (
        <p role="alert" className="error-text">
          {error}
        </p>
      ) : null}
      <ul className="alert-list" aria-label="Price alerts">
        {list.data?.alerts.map((a) => (
          <li key={a.id}>
            1 {symbol(a.baseToken)} {a.direction} {formatDecimal(a.price)} {symbol(a.quoteToken)}
            {a.currentPrice ? (
              <span className="muted"> · now {formatDecimal(a.currentPrice, { significant: 6 })}</span>
            ) : null}
            {a.triggeredAt ? <strong> · triggered {new Date(a.triggeredAt).toLocaleString()}</strong> : null}
            <button
              type="button"
              className="link-button"
              onClick={() => remove(a.id)}
              aria-label={`Delete the alert on ${symbol(a.baseToken)}`}
            >
              Delete
            </button>
          </li>
        ))}
        {list.data && list.data.alerts.length === 0 ? <li className="muted">No alerts.</li> : null}
      </ul>
    </section>
  )
}
