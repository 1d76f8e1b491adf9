import { useState } from 'react'
import { type Address, erc20Abi, getAddress, isAddress } from 'viem'
import { useReadContracts } from 'wagmi'
import { formatAmount } from '../lib/amounts.js'
import { Dialog } from '../ui/Dialog.js'
import { type Currency, searchCurrencies } from './currency.js'

interface Props {
  open: boolean
  title: string
  currencies: readonly Currency[]
  balanceOf: (c: Currency) => bigint | undefined
  onSelect: (c: Currency) => void
  onImport: (token: { address: Address; symbol: string; name: string; decimals: number }) => void
  onClose: () => void
  /** Prefills the search, e.g. with an unknown address from the URL. */
  initialQuery?: string
}

/** Search by symbol, name or address; balances beside each token; import by address with a warning. */
export function TokenSelector({
  open,
  title,
  currencies,
  balanceOf,
  onSelect,
  onImport,
  onClose,
  initialQuery = '',
}: Props) {
  const [search, setSearch] = useState(initialQuery)
  const matches = searchCurrencies(search, currencies)
  const candidate =
    isAddress(search.trim(), { strict: false }) && matches.length === 0 ? getAddress(search.trim()) : null
  const close = () => {
    setSearch('')
    onClose()
  }
  return (
    <Dialog open={open} title={title} onClose={close}>
      <label className="field-label" htmlFor="token-search">
        Search name or paste address
      </label>
      <input
        id="token-search"
        className="text-input"
        type="search"
        autoComplete="off"
        spellCheck={false}
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        placeholder="ETH, USDC or 0x…"
      />
      {candidate ? (
        <ImportToken
          address={candidate}
          onImport={(token) => {
            onImport(token)
            setSearch('')
          }}
        />
      ) : (
        <ul className="token-list" aria-label="Tokens">
          {matches.map((c) => {
            const balance = balanceOf(c)
            return (
              <li key={c.kind === 'native' ? 'ETH' : c.address}>
                <button
                  type="button"
                  className="token-option"
                  onClick={() => {
                    onSelect(c)
                    close()
                  }}
                >
                  <span className="token-symbol">{c.symbol}</span>
                  <span className="token-name">
                    {c.name}
                    {c.kind === 'token' && !c.listed ? ' · imported' : ''}
                  </span>
                  <span className="token-balance">
                    {balance === undefined ? '' : formatAmount(balance, c.decimals)}
                  </span>
                </button>
              </li>
            )
          })}
          {matches.length === 0 ? <li className="muted">No token matches “{search}”.</li> : null}
        </ul>
      )}
    </Dialog>
  )
}

/** Reads an unknown token's metadata from the chain and imports it only after the user accepts the risk. */
function ImportToken({ address, onImport }: { address: Address; onImport: Props['onImport'] }) {
  const [accepted, setAccepted] = useState(false)
  const { data, isPending } = useReadContracts({
    allowFailure: true,
    contracts: [
      { address, abi: erc20Abi, functionName: 'symbol' },
      { address, abi: erc20Abi, functionName: 'name' },
      { address, abi: erc20Abi, functionName: 'decimals' },
    ],
  })
  if (isPending) return <p className="muted">Reading the token at {address}…</p>
  const [symbol, name, decimals] = data ?? []
  if (decimals?.status !== 'success' || symbol?.status !== 'success') {
    return (
      <p role="alert" className="error-text">
        No ERC-20 token answers at {address} on this chain.
      </p>
    )
  }
  const token = {
    address,
    symbol: String(symbol.result).slice(0, 20),
    name: name?.status === 'success' ? String(name.result).slice(0, 60) : String(symbol.result),
    decimals: Number(decimals.result),
  }
  return (
    <section className="import-card" aria-label="Import token">
      <p className="import-title">
        <strong>{token.symbol}</strong> {token.name}
      </p>
      <p className="mono small">{address}</p>
      <div className="banner banner-danger" role="alert">
        <strong>This token is not on the Soba token list.</strong> Anyone can create a token, including fake
        versions of existing ones that take your funds. Check the address with the token's issuer before you
        trade it.
      </div>
      <label className="checkbox">
        <input type="checkbox" checked={accepted} onChange={(e) => setAccepted(e.target.checked)} />I
        understand the risk
      </label>
      <button
        type="button"
        className="button button-primary"
        disabled={!accepted}
        onClick={() => onImport(token)}
      >
        Import {token.symbol}
      </button>
    </section>
  )
}
