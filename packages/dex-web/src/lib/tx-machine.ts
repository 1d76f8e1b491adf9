/**
 * The life of one wallet transaction as the page shows it:
 * idle → signing (waiting for the wallet) → pending (hash known) → confirmed | failed.
 * A rejection in the wallet or a failed simulation goes from signing straight to failed. Events
 * that do not fit the current state (a late receipt for an older hash) are ignored, so a stale
 * callback cannot overwrite a newer transaction's state.
 */

export type TxKind = 'approve' | 'swap' | 'wrap' | 'addLiquidity' | 'removeLiquidity'

export type TxState =
  | { status: 'idle' }
  | { status: 'signing'; kind: TxKind; label: string }
  | { status: 'pending'; kind: TxKind; label: string; hash: `0x${string}` }
  | { status: 'confirmed'; kind: TxKind; label: string; hash: `0x${string}`; blockNumber: bigint }
  | { status: 'failed'; kind: TxKind; label: string; reason: string; hash?: `0x${string}` }

export type TxEvent =
  | { type: 'sign'; kind: TxKind; label: string }
  | { type: 'sent'; hash: `0x${string}` }
  | { type: 'mined'; hash: `0x${string}`; success: boolean; blockNumber: bigint; reason?: string }
  | { type: 'error'; error: unknown }
  | { type: 'reset' }

export const IDLE: TxState = { status: 'idle' }

export function txReducer(state: TxState, event: TxEvent): TxState {
  switch (event.type) {
    case 'sign':
      // A new transaction may start from anything but an unfinished one.
      if (state.status === 'signing' || state.status === 'pending') return state
      return { status: 'signing', kind: event.kind, label: event.label }
    case 'sent':
      if (state.status !== 'signing') return state
      return { status: 'pending', kind: state.kind, label: state.label, hash: event.hash }
    case 'mined':
      if (state.status !== 'pending' || state.hash !== event.hash) return state
      return event.success
        ? { ...state, status: 'confirmed', blockNumber: event.blockNumber }
        : {
            status: 'failed',
            kind: state.kind,
            label: state.label,
            hash: state.hash,
            reason: event.reason ?? 'The transaction reverted on chain.',
          }
    case 'error':
      if (state.status !== 'signing' && state.status !== 'pending') return state
      return {
        status: 'failed',
        kind: state.kind,
        label: state.label,
        reason: humanReason(event.error),
        ...(state.status === 'pending' ? { hash: state.hash } : {}),
      }
    case 'reset':
      return state.status === 'signing' || state.status === 'pending' ? state : IDLE
  }
}

/** Contract revert strings and wallet errors, in words a trader understands. */
const REASONS: Array<[RegExp, string]> = [
  [/INSUFFICIENT_OUTPUT_AMOUNT|EXCESSIVE_INPUT_AMOUNT/, 'The price moved beyond your slippage tolerance.'],
  [/INSUFFICIENT_[AB]_AMOUNT/, 'The pool price moved beyond your slippage tolerance.'],
  [/EXPIRED/, 'The transaction deadline passed before it could be mined.'],
  [/SobaV2: K\b/, 'The pool rejected the trade (a token may take a fee on transfer).'],
  [/INSUFFICIENT_LIQUIDITY/, 'The pool does not have enough liquidity for this trade.'],
  [
    /INSUFFICIENT_ALLOWANCE|transfer amount exceeds allowance/i,
    'The router is not approved for this amount.',
  ],
  [/INSUFFICIENT_BALANCE|transfer amount exceeds balance/i, 'Your balance is too low for this trade.'],
  [/insufficient funds/i, 'Not enough ETH to pay for this transaction and its network fee.'],
  [/user rejected|user denied|rejected the request|4001/i, 'You rejected the request in your wallet.'],
  [
    /nonce too low|replacement transaction underpriced/i,
    'The wallet sent a conflicting transaction; try again.',
  ],
]

export function humanReason(error: unknown): string {
  const text = errorText(error)
  for (const [pattern, reason] of REASONS) if (pattern.test(text)) return reason
  const short = /reverted with reason string '([^']+)'|execution reverted: ([^\n"]+)/.exec(text)
  if (short) return `The transaction would revert: ${short[1] ?? short[2]}.`
  return 'The transaction failed. Nothing was spent beyond any network fee.'
}

/** viem errors nest the node's message under `cause`; read every level's text. */
function errorText(error: unknown): string {
  const parts: string[] = []
  let current: unknown = error
  for (let depth = 0; current && depth < 8; depth++) {
    const e = current as {
      shortMessage?: unknown
      message?: unknown
      details?: unknown
      code?: unknown
      cause?: unknown
    }
    for (const value of [e.shortMessage, e.message, e.details])
      if (typeof value === 'string') parts.push(value)
    if (e.code === 4001) parts.push('4001')
    current = e.cause
  }
  if (parts.length === 0) parts.push(String(error))
  return parts.join('\n')
}
