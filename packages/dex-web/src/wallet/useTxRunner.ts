import { useCallback, useReducer } from 'react'
import { type TransactionReceipt, zeroAddress } from 'viem'
import { type Config, useConfig } from 'wagmi'
import { call, getAccount, sendTransaction, waitForTransactionReceipt } from 'wagmi/actions'
import { humanReason, IDLE, type TxKind, txReducer } from '../lib/tx-machine.js'
import type { TxRequest } from '../lib/types.js'

/** A receipt carries no revert reason: replay the call at its block to read it. */
async function replayReason(config: Config, tx: TxRequest, blockNumber: bigint): Promise<string> {
  try {
    await call(config, {
      account: getAccount(config).address ?? zeroAddress,
      to: tx.to,
      data: tx.data,
      value: BigInt(tx.value),
      blockNumber,
    })
    return 'The transaction reverted on chain.'
  } catch (error) {
    return humanReason(error)
  }
}

/**
 * Sends transactions through the connected wallet and tracks each with the transaction state
 * machine. The wallet (viem) simulates first, so a trade that would revert fails before it is
 * signed, with the contract's reason; one that reverts on chain gets its reason by replay.
 */
export function useTxRunner() {
  const config = useConfig()
  const [state, dispatch] = useReducer(txReducer, IDLE)

  const run = useCallback(
    async (kind: TxKind, label: string, tx: TxRequest): Promise<TransactionReceipt | null> => {
      dispatch({ type: 'sign', kind, label })
      try {
        const hash = await sendTransaction(config, { to: tx.to, data: tx.data, value: BigInt(tx.value) })
        dispatch({ type: 'sent', hash })
        const receipt = await waitForTransactionReceipt(config, { hash, pollingInterval: 500 })
        if (receipt.status === 'success') {
          dispatch({ type: 'mined', hash, success: true, blockNumber: receipt.blockNumber })
          return receipt
        }
        const reason = await replayReason(config, tx, receipt.blockNumber)
        dispatch({ type: 'mined', hash, success: false, blockNumber: receipt.blockNumber, reason })
        return null
      } catch (error) {
        dispatch({ type: 'error', error })
        return null
      }
    },
    [config],
  )

  const reset = useCallback(() => dispatch({ type: 'reset' }), [])
  return { state, run, reset }
}
