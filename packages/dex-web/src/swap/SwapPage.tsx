import { useEffect, useMemo, useRef, useState } from 'react'
import { encodeFunctionData, erc20Abi, maxUint256 } from 'viem'
import { useAccount, useBlockNumber, useGasPrice } from 'wagmi'
import { useChainInfo } from '../app/chain-context.js'
import { useOpenConnect } from '../app/connect-context.js'
import { navigate, useLocation } from '../app/router.js'
import { useMarketPrices } from '../app/useMarketPrices.js'
import { formatAmount, parseAmount, sanitizeAmountInput } from '../lib/amounts.js'
import { ApiError } from '../lib/api.js'
import {
  bpsToPercentString,
  effectiveSlippageBps,
  loadSettings,
  type SwapSettings,
  saveSettings,
} from '../lib/slippage.js'
import type { Quote } from '../lib/types.js'
import { Dialog } from '../ui/Dialog.js'
import { TxStatus } from '../ui/TxStatus.js'
import { useTxRunner } from '../wallet/useTxRunner.js'
import { useWrongNetwork } from '../wallet/WrongNetwork.js'
import { type Currency, ETH, resolveCurrency, sameCurrency, urlId } from './currency.js'
import { IMPACT_TEXT, QuoteDetails } from './QuoteDetails.js'
import { SettingsDialog } from './SettingsDialog.js'
import { readSwapUrl, writeSwapUrl } from './swap-url.js'
import { TokenSelector } from './TokenSelector.js'
import { useBalances } from './useBalances.js'
import { useCurrencies } from './useCurrencies.js'
import { type QuoteRequest, useQuote } from './useQuote.js'

type Field = 'input' | 'output'

/** An amount in an input box: plain digits and a point, no grouping, a few significant digits. */
const plain = (value: bigint, decimals: number) =>
  formatAmount(value, decimals, { locale: 'en-US', fractionDigits: 6 }).replaceAll(',', '')

export function SwapPage() {
  const info = useChainInfo()
  const openConnect = useOpenConnect()
  const { search } = useLocation()
  const initial = useRef(readSwapUrl(search))
  const { address, isConnected } = useAccount()
  const wrongNetwork = useWrongNetwork()
  const { currencies, importToken, loading: listLoading } = useCurrencies(info.chainId)
  const { data: block } = useBlockNumber({ watch: true })
  const { data: gasPrice } = useGasPrice({ query: { refetchInterval: 15_000 } })
  const { priceOf } = useMarketPrices()

  const [input, setInput] = useState<Currency | null>(null)
  const [output, setOutput] = useState<Currency | null>(null)
  const [typed, setTyped] = useState(sanitizeAmountInput(initial.current.exactAmount, 'en-US'))
  const [exactField, setExactField] = useState<Field>(initial.current.exactField)
  const [settings, setSettings] = useState<SwapSettings>(() => loadSettings(globalThis.localStorage))
  const [selecting, setSelecting] = useState<Field | null>(null)
  const [importQuery, setImportQuery] = useState('')
  const [settingsOpen, setSettingsOpen] = useState(false)
  const [confirmOpen, setConfirmOpen] = useState(false)
  const [expert, setExpert] = useState(false)
  const [approval, setApproval] = useState<'exact' | 'unlimited'>('exact')
  const [refresh, setRefresh] = useState(0)
  const resolved = useRef(false)
  const tx = useTxRunner()

  // Resolve the URL's currencies once the token list is in; an unknown address opens the import.
  useEffect(() => {
    if (resolved.current || listLoading) return
    resolved.current = true
    const { inputCurrency, outputCurrency } = initial.current
    const inCurrency = resolveCurrency(inputCurrency, currencies) ?? (inputCurrency ? null : ETH)
    const outCurrency = resolveCurrency(outputCurrency, currencies)
    setInput(inCurrency)
    setOutput(outCurrency)
    const unknown = [inputCurrency, outputCurrency].find(
      (v, i) => v && /^0x[0-9a-fA-F]{40}$/.test(v) && !(i === 0 ? inCurrency : outCurrency),
    )
    if (unknown) {
      setImportQuery(unknown)
      setSelecting(unknown === inputCurrency ? 'input' : 'output')
    }
  }, [currencies, listLoading])

  // Keep the address bar in step, as the Uniswap interface does (shareable swap links).
  useEffect(() => {
    if (!resolved.current) return
    const next = writeSwapUrl({
      inputCurrency: input ? urlId(input) : null,
      outputCurrency: output ? urlId(output) : null,
      exactAmount: typed,
      exactField,
    })
    if (next !== window.location.pathname + window.location.search) navigate(next, { replace: true })
  }, [input, output, typed, exactField])

  const typedCurrency = exactField === 'input' ? input : output
  const parsed = typedCurrency && typed !== '' ? parseAmount(typed, typedCurrency.decimals) : null
  const amount = parsed?.ok && parsed.value > 0n ? parsed.value : null
  const account = isConnected && !wrongNetwork ? address : undefined

  const request = useMemo<QuoteRequest | null>(() => {
    if (!input || !output || amount === null || sameCurrency(input, output)) return null
    return {
      tokenIn: input.kind === 'native' ? 'ETH' : input.address,
      tokenOut: output.kind === 'native' ? 'ETH' : output.address,
      kind: exactField === 'input' ? 'exactIn' : 'exactOut',
      amount: amount.toString(),
      slippage: bpsToPercentString(effectiveSlippageBps(settings)),
      account,
      expert,
      deadlineMinutes: settings.deadlineMinutes,
    }
  }, [input, output, amount, exactField, settings, account, expert])
  const { quote, error, loading } = useQuote(request, `${block ?? ''}:${refresh}`)
  const balances = useBalances(address, currencies, block)

  const otherValue =
    quote && input && output
      ? exactField === 'input'
        ? plain(BigInt(quote.amountOut), output.decimals)
        : plain(BigInt(quote.amountIn), input.decimals)
      : ''
  const inputValue = exactField === 'input' ? typed : otherValue
  const outputValue = exactField === 'output' ? typed : otherValue

  const type = (field: Field, text: string) => {
    setExactField(field)
    setTyped(sanitizeAmountInput(text))
    if (tx.state.status === 'confirmed' || tx.state.status === 'failed') tx.reset()
  }
  const choose = (field: Field, c: Currency) => {
    const other = field === 'input' ? output : input
    if (sameCurrency(c, other)) return flip()
    if (field === 'input') setInput(c)
    else setOutput(c)
  }
  const flip = () => {
    setInput(output)
    setOutput(input)
    setExactField(exactField === 'input' ? 'output' : 'input')
  }
  const updateSettings = (s: SwapSettings) => {
    setSettings(s)
    saveSettings(globalThis.localStorage, s)
  }

  const sold = quote ? BigInt(quote.maximumSold ?? quote.amountIn) : null
  const balanceIn = balances.balanceOf(input)
  const insufficient = sold !== null && balanceIn !== undefined && sold > balanceIn
  const approveTx = quote?.transactions?.find((t) => t.kind === 'approve')
  const swapTxs = quote?.transactions?.filter((t) => t.kind === 'swap') ?? []
  const busy = tx.state.status === 'signing' || tx.state.status === 'pending'
  const severe = quote?.priceImpactSeverity === 'high' || quote?.priceImpactSeverity === 'blocked'

  const approve = async () => {
    if (input?.kind !== 'token' || sold === null) return
    const amountToApprove = approval === 'unlimited' ? maxUint256 : sold
    const data = encodeFunctionData({
      abi: erc20Abi,
      functionName: 'approve',
      args: [info.contracts.router, amountToApprove],
    })
    await tx.run('approve', `Approve ${input.symbol}`, { to: input.address, data, value: '0' })
    setRefresh((n) => n + 1)
  }
  const swap = async (current: Quote) => {
    setConfirmOpen(false)
    const legs = current.transactions?.filter((t) => t.kind === 'swap') ?? []
    for (const [i, leg] of legs.entries()) {
      const label = legs.length > 1 ? `Swap (part ${i + 1} of ${legs.length})` : 'Swap'
      const receipt = await tx.run('swap', label, leg.tx)
      if (!receipt) break
    }
    setRefresh((n) => n + 1)
    void balances.refetch()
  }

  const action = (() => {
    if (!isConnected) return { label: 'Connect wallet', onClick: openConnect }
    if (wrongNetwork) return { label: 'Wrong network', disabled: true }
    if (!input || !output) return { label: 'Select a token', disabled: true }
    if (typed === '') return { label: 'Enter an amount', disabled: true }
    if (parsed && !parsed.ok)
      return {
        label:
          parsed.error === 'too_many_decimals'
            ? `${typedCurrency?.symbol} has ${typedCurrency?.decimals} decimals`
            : 'Invalid amount',
        disabled: true,
      }
    if (amount === null) return { label: 'Enter an amount', disabled: true }
    if (error) return { label: quoteErrorText(error), disabled: true }
    if (!quote) return { label: 'Fetching the best price…', disabled: true }
    if (insufficient) return { label: `Insufficient ${input.symbol} balance`, disabled: true }
    if (busy)
      return {
        label: tx.state.status === 'signing' ? 'Confirm in your wallet…' : 'Waiting for the block…',
        disabled: true,
      }
    if (approveTx && input.kind === 'token') return { label: `Approve ${input.symbol}`, onClick: approve }
    if (swapTxs.length === 0) return { label: 'Fetching the best price…', disabled: true }
    return { label: 'Swap', onClick: () => (severe ? setConfirmOpen(true) : swap(quote)) }
  })()

  const symbolOf = (addr: string) => {
    const c = currencies.find((t) => t.kind === 'token' && t.address.toLowerCase() === addr.toLowerCase())
    return c?.symbol ?? `${addr.slice(0, 6)}…`
  }

  return (
    <section className="card swap-card" aria-labelledby="swap-title">
      <header className="card-header">
        <h1 id="swap-title">Swap</h1>
        <button
          type="button"
          className="icon-button"
          aria-label="Transaction settings"
          onClick={() => setSettingsOpen(true)}
        >
          ⚙
        </button>
      </header>
      <AmountField
        label="You pay"
        value={inputValue}
        currency={input}
        balance={balanceIn}
        onType={(t) => type('input', t)}
        onSelect={() => setSelecting('input')}
        onMax={
          balanceIn !== undefined && input?.kind === 'token'
            ? () => type('input', plain(balanceIn, input.decimals).replace(/\.?0+$/, '') || '0')
            : undefined
        }
        estimated={exactField === 'output' && quote !== null}
      />
      <div className="flip-row">
        <button
          type="button"
          className="icon-button flip"
          aria-label="Switch the tokens you pay and receive"
          onClick={flip}
        >
          ↓
        </button>
      </div>
      <AmountField
        label="You receive"
        value={outputValue}
        currency={output}
        balance={balances.balanceOf(output)}
        onType={(t) => type('output', t)}
        onSelect={() => setSelecting('output')}
        estimated={exactField === 'input' && quote !== null}
      />
      {quote && input && output ? (
        <QuoteDetails
          quote={quote}
          input={input}
          output={output}
          symbolOf={symbolOf}
          gasPrice={gasPrice}
          ethPrice={priceOf(info.contracts.weth)}
        />
      ) : loading ? (
        <p className="muted quote-loading" aria-live="polite">
          Finding the best route…
        </p>
      ) : null}
      {error instanceof ApiError && error.code === 'price_impact_too_high' && !expert ? (
        <div className="banner banner-danger" role="alert">
          <p>{IMPACT_TEXT.blocked}. The quote is held back to protect you.</p>
          <button type="button" className="button" onClick={() => setExpert(true)}>
            Show the quote anyway
          </button>
        </div>
      ) : null}
      {approveTx && input?.kind === 'token' && !busy ? (
        <fieldset className="approval-choice">
          <legend>Approve the router to spend</legend>
          <label>
            <input
              type="radio"
              name="approval"
              checked={approval === 'exact'}
              onChange={() => setApproval('exact')}
            />
            Exactly this trade's amount
          </label>
          <label>
            <input
              type="radio"
              name="approval"
              checked={approval === 'unlimited'}
              onChange={() => setApproval('unlimited')}
            />
            Unlimited (no approval next time)
          </label>
        </fieldset>
      ) : null}
      <button
        type="button"
        className={`button button-primary button-large ${severe && action.label === 'Swap' ? 'button-danger' : ''}`}
        disabled={action.disabled ?? false}
        onClick={action.onClick}
      >
        {action.label}
      </button>
      <TxStatus state={tx.state} />
      <TokenSelector
        key={`${selecting}:${importQuery}`}
        open={selecting !== null}
        title={selecting === 'output' ? 'Select the token you receive' : 'Select the token you pay'}
        currencies={currencies}
        balanceOf={balances.balanceOf}
        initialQuery={importQuery}
        onSelect={(c) => selecting && choose(selecting, c)}
        onImport={(token) => {
          importToken(token)
          if (selecting) choose(selecting, { kind: 'token', ...token, listed: false })
          setSelecting(null)
          setImportQuery('')
        }}
        onClose={() => {
          setSelecting(null)
          setImportQuery('')
        }}
      />
      <SettingsDialog
        open={settingsOpen}
        settings={settings}
        onChange={updateSettings}
        onClose={() => setSettingsOpen(false)}
      />
      {quote && severe ? (
        <ConfirmImpact
          open={confirmOpen}
          quote={quote}
          onCancel={() => setConfirmOpen(false)}
          onConfirm={() => swap(quote)}
        />
      ) : null}
    </section>
  )
}

function quoteErrorText(error: Error): string {
  if (!(error instanceof ApiError)) return 'Quotes are unavailable; retrying on the next block'
  switch (error.code) {
    case 'no_route':
      return 'No route between these tokens'
    case 'insufficient_liquidity':
      return 'Not enough liquidity for this amount'
    case 'price_impact_too_high':
      return 'Price impact too high'
    case 'indexer_behind':
      return 'Prices are catching up with the chain…'
    case 'same_token':
      return 'Choose two different tokens'
    default:
      return error.message
  }
}

function AmountField(props: {
  label: string
  value: string
  currency: Currency | null
  balance: bigint | undefined
  estimated: boolean
  onType: (text: string) => void
  onSelect: () => void
  onMax?: (() => void) | undefined
}) {
  const id = `amount-${props.label.replace(/\s/g, '-').toLowerCase()}`
  return (
    <fieldset className="amount-field" aria-label={props.label}>
      <label htmlFor={id} className="field-label">
        {props.label}
        {props.estimated ? <span className="muted"> (estimated)</span> : null}
      </label>
      <div className="amount-row">
        <input
          id={id}
          className="amount-input"
          inputMode="decimal"
          autoComplete="off"
          placeholder="0"
          value={props.value}
          onChange={(e) => props.onType(e.target.value)}
        />
        <button
          type="button"
          className={`token-button ${props.currency ? '' : 'token-button-empty'}`}
          aria-label={`${props.label}: ${props.currency ? props.currency.symbol : 'select a token'}`}
          onClick={props.onSelect}
        >
          {props.currency?.symbol ?? 'Select token'} ▾
        </button>
      </div>
      {props.currency && props.balance !== undefined ? (
        <p className="balance-row">
          <span>
            Balance:{' '}
            <span data-balance={props.currency.symbol}>
              {formatAmount(props.balance, props.currency.decimals)}
            </span>{' '}
            {props.currency.symbol}
          </span>
          {props.onMax ? (
            <button type="button" className="link-button" onClick={props.onMax}>
              Max
            </button>
          ) : null}
        </p>
      ) : null}
    </fieldset>
  )
}

function ConfirmImpact({
  open,
  quote,
  onCancel,
  onConfirm,
}: {
  open: boolean
  quote: Quote
  onCancel: () => void
  onConfirm: () => void
}) {
  const [typed, setTyped] = useState('')
  return (
    <Dialog open={open} title="Confirm a high price impact" onClose={onCancel}>
      <p className="impact impact-high">
        This trade moves the price by {quote.priceImpact}%. {IMPACT_TEXT[quote.priceImpactSeverity]}.
      </p>
      <label className="field-label" htmlFor="confirm-impact">
        Type “confirm” to swap anyway
      </label>
      <input
        id="confirm-impact"
        className="text-input"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
      />
      <div className="row">
        <button type="button" className="button" onClick={onCancel}>
          Cancel
        </button>
        <button
          type="button"
          className="button button-danger"
          disabled={typed.trim().toLowerCase() !== 'confirm'}
          onClick={onConfirm}
        >
          Swap anyway
        </button>
      </div>
    </Dialog>
  )
}
