import { useQuery } from '@tanstack/react-query'
import { useState } from 'react'
import { useAccount, useBlockNumber } from 'wagmi'
import { useChainInfo } from '../app/chain-context.js'
import { useOpenConnect } from '../app/connect-context.js'
import { formatAmount, parseAmount, sanitizeAmountInput } from '../lib/amounts.js'
import { api, query } from '../lib/api.js'
import type { TokenRef, TxRequest } from '../lib/types.js'
import { TxStatus } from '../ui/TxStatus.js'
import { useDebounced } from '../ui/useDebounced.js'
import { useTxRunner } from '../wallet/useTxRunner.js'
import { useWrongNetwork } from '../wallet/WrongNetwork.js'
import { symbolOf } from './usePools.js'

interface LiquidityPlan {
  pool: string | null
  amountA: string
  amountB: string
  amountAMin: string
  amountBMin: string
  liquidity: string
  poolShare?: string
  transactions?: Array<{ kind: string; description: string; tx: TxRequest }>
}

interface PositionsReply {
  positions: Array<{ pool: string; liquidity: string; share: string; amount0: string; amount1: string }>
}

/** Runs a plan's transactions in order (approvals first); stops at the first that fails. */
async function runAll(
  run: ReturnType<typeof useTxRunner>['run'],
  plan: LiquidityPlan,
  label: string,
  symbols: Record<string, string>,
) {
  for (const step of plan.transactions ?? []) {
    const kind =
      step.kind === 'approve'
        ? 'approve'
        : step.kind === 'removeLiquidity'
          ? 'removeLiquidity'
          : 'addLiquidity'
    const text =
      step.kind === 'approve' ? `Approve ${symbols[step.tx.to.toLowerCase()] ?? 'LP tokens'}` : label
    if (!(await run(kind, text, step.tx))) return false
  }
  return true
}

export function usePosition(pool: string) {
  const { address } = useAccount()
  const { data: block } = useBlockNumber({ watch: true })
  const { data } = useQuery({
    queryKey: ['positions', address, block?.toString()],
    enabled: address !== undefined,
    placeholderData: (previous) => previous,
    queryFn: () => api<PositionsReply>(`/v1/wallet/${address}/positions`),
  })
  return data?.positions.find((p) => p.pool.toLowerCase() === pool.toLowerCase()) ?? null
}

/**
 * Add liquidity: the second amount follows the pool's reserve ratio (the API fits it); an empty
 * pool takes both amounts, which set its first price. Shows the LP share after the deposit.
 */
export function AddLiquidity({ tokens, empty }: { tokens: [TokenRef, TokenRef]; empty: boolean }) {
  const info = useChainInfo()
  const { address, isConnected } = useAccount()
  const wrong = useWrongNetwork()
  const openConnect = useOpenConnect()
  const [a, setA] = useState('')
  const [b, setB] = useState('')
  const wethSide = tokens.findIndex((t) => t.address.toLowerCase() === info.contracts.weth.toLowerCase())
  const [useEth, setUseEth] = useState(wethSide >= 0)
  const tx = useTxRunner()
  const [t0, t1] = tokens
  const parsedA = parseAmount(a, t0.decimals ?? 18)
  const parsedB = parseAmount(b, t1.decimals ?? 18)
  const amountA = parsedA.ok && parsedA.value > 0n ? parsedA.value.toString() : null
  const amountB = empty && parsedB.ok && parsedB.value > 0n ? parsedB.value.toString() : undefined
  const id = (i: 0 | 1) => (useEth && wethSide === i ? 'ETH' : tokens[i].address)
  const request = useDebounced({
    tokenA: id(0),
    tokenB: id(1),
    amountA,
    amountB,
    recipient: isConnected && !wrong ? address : undefined,
  })
  const plan = useQuery({
    queryKey: ['liquidity-add', request, tx.state.status],
    enabled: request.amountA !== null && (!empty || request.amountB !== undefined),
    queryFn: () => api<LiquidityPlan>(`/v1/liquidity/add${query(request)}`),
  })
  const fitted =
    !empty && plan.data
      ? formatAmount(BigInt(plan.data.amountB), t1.decimals ?? 18, {
          locale: 'en-US',
          fractionDigits: 6,
        }).replaceAll(',', '')
      : b
  const label = (i: 0 | 1) => (useEth && wethSide === i ? 'ETH' : symbolOf(tokens[i]))
  const busy = tx.state.status === 'signing' || tx.state.status === 'pending'
  const symbols = { [t0.address.toLowerCase()]: symbolOf(t0), [t1.address.toLowerCase()]: symbolOf(t1) }
  return (
    <form
      className="liquidity-form"
      aria-labelledby="add-title"
      onSubmit={async (event) => {
        event.preventDefault()
        if (!isConnected) return openConnect()
        if (plan.data && (await runAll(tx.run, plan.data, 'Add liquidity', symbols))) {
          setA('')
          setB('')
        }
      }}
    >
      <h2 id="add-title">Add liquidity</h2>
      {empty ? (
        <p className="banner banner-warning">This pool is empty: your two amounts set its first price.</p>
      ) : null}
      <label className="field-label" htmlFor="add-a">
        Amount of {label(0)}
      </label>
      <input
        id="add-a"
        className="text-input"
        inputMode="decimal"
        value={a}
        onChange={(e) => setA(sanitizeAmountInput(e.target.value))}
        placeholder="0"
      />
      <label className="field-label" htmlFor="add-b">
        Amount of {label(1)}
        {empty ? '' : ' (kept at the pool ratio)'}
      </label>
      <input
        id="add-b"
        className="text-input"
        inputMode="decimal"
        value={fitted}
        readOnly={!empty}
        onChange={(e) => setB(sanitizeAmountInput(e.target.value))}
        placeholder="0"
      />
      {wethSide >= 0 ? (
        <label className="checkbox">
          <input type="checkbox" checked={useEth} onChange={(e) => setUseEth(e.target.checked)} />
          Deposit ETH instead of WETH
        </label>
      ) : null}
      {plan.data ? (
        <p className="muted">
          Your share of the pool after this deposit: <strong>{plan.data.poolShare ?? '–'}%</strong>
        </p>
      ) : null}
      {plan.error ? <p className="error-text">{plan.error.message}</p> : null}
      <button type="submit" className="button button-primary" disabled={busy || (isConnected && !plan.data)}>
        {!isConnected
          ? 'Connect wallet'
          : plan.data?.transactions?.some((t) => t.kind === 'approve')
            ? 'Approve and add liquidity'
            : 'Add liquidity'}
      </button>
      <TxStatus state={tx.state} />
    </form>
  )
}

/** Remove a percentage of the position, with the minimum amounts the slippage allows. */
export function RemoveLiquidity({ pool, tokens }: { pool: string; tokens: [TokenRef, TokenRef] }) {
  const { address } = useAccount()
  const position = usePosition(pool)
  const [percent, setPercent] = useState(50)
  const tx = useTxRunner()
  const [t0, t1] = tokens
  const liquidity = position ? (BigInt(position.liquidity) * BigInt(percent)) / 100n : 0n
  const request = useDebounced({
    tokenA: t0.address,
    tokenB: t1.address,
    liquidity: liquidity.toString(),
    recipient: address,
  })
  const plan = useQuery({
    queryKey: ['liquidity-remove', request, tx.state.status],
    enabled: address !== undefined && request.liquidity !== '0',
    queryFn: () => api<LiquidityPlan>(`/v1/liquidity/remove${query(request)}`),
  })
  if (!position || BigInt(position.liquidity) === 0n) return null
  const busy = tx.state.status === 'signing' || tx.state.status === 'pending'
  return (
    <section className="card">
      <form
        className="liquidity-form"
        aria-labelledby="remove-title"
        onSubmit={async (event) => {
          event.preventDefault()
          if (plan.data) await runAll(tx.run, plan.data, 'Remove liquidity', {})
        }}
      >
        <h2 id="remove-title">Remove liquidity</h2>
        <p className="muted">
          Your position: {position.share}% of the pool (
          {formatAmount(BigInt(position.amount0), t0.decimals ?? 18)} {symbolOf(t0)} and{' '}
          {formatAmount(BigInt(position.amount1), t1.decimals ?? 18)} {symbolOf(t1)})
        </p>
        <label className="field-label" htmlFor="remove-percent">
          Share of your position to remove: {percent}%
        </label>
        <input
          id="remove-percent"
          type="range"
          min={1}
          max={100}
          value={percent}
          onChange={(e) => setPercent(Number(e.target.value))}
        />
        <div className="row">
          {[25, 50, 75, 100].map((p) => (
            <button
              key={p}
              type="button"
              className={`chip ${percent === p ? 'chip-active' : ''}`}
              aria-pressed={percent === p}
              onClick={() => setPercent(p)}
            >
              {p === 100 ? 'Max' : `${p}%`}
            </button>
          ))}
        </div>
        {plan.data ? (
          <p className="muted">
            You receive at least {formatAmount(BigInt(plan.data.amountAMin), t0.decimals ?? 18)}{' '}
            {symbolOf(t0)} and {formatAmount(BigInt(plan.data.amountBMin), t1.decimals ?? 18)} {symbolOf(t1)}.
          </p>
        ) : null}
        {plan.error ? <p className="error-text">{plan.error.message}</p> : null}
        <button type="submit" className="button button-primary" disabled={busy || !plan.data}>
          Remove {percent}%
        </button>
        <TxStatus state={tx.state} />
      </form>
    </section>
  )
}
