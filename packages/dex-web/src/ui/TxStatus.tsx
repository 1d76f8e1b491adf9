import { Link } from '../app/router.js'
import type { TxState } from '../lib/tx-machine.js'

const DONE: Record<string, string> = {
  swap: 'Swap confirmed',
  approve: 'Approval confirmed',
  wrap: 'Wrap confirmed',
  addLiquidity: 'Liquidity added',
  removeLiquidity: 'Liquidity removed',
}

/** The polite live region that announces each transaction's state, with a link to its detail view. */
export function TxStatus({ state }: { state: TxState }) {
  return (
    <div role="status" aria-live="polite" className={`tx-status tx-${state.status}`}>
      {state.status === 'signing' ? <p>Confirm “{state.label}” in your wallet…</p> : null}
      {state.status === 'pending' ? (
        <p>
          {state.label} pending… <TxLink hash={state.hash} />
        </p>
      ) : null}
      {state.status === 'confirmed' ? (
        <p>
          {DONE[state.kind] ?? 'Confirmed'} in block {state.blockNumber.toString()}.{' '}
          <TxLink hash={state.hash} />
        </p>
      ) : null}
      {state.status === 'failed' ? (
        <p className="error-text">
          {state.label} failed: {state.reason} {state.hash ? <TxLink hash={state.hash} /> : null}
        </p>
      ) : null}
    </div>
  )
}

function TxLink({ hash }: { hash: string }) {
  return (
    <Link to={`/tx/${hash}`} className="link">
      View transaction
    </Link>
  )
}
