import { describe, expect, it } from 'vitest'
import { humanReason, IDLE, type TxEvent, type TxState, txReducer } from './tx-machine.js'

const run = (events: TxEvent[], from: TxState = IDLE) => events.reduce(txReducer, from)
const HASH = `0x${'a'.repeat(64)}` as const
const OTHER = `0x${'b'.repeat(64)}` as const

describe('a transaction', () => {
  it('goes signing → pending → confirmed', () => {
    const state = run([
      { type: 'sign', kind: 'swap', label: 'Swap' },
      { type: 'sent', hash: HASH },
      { type: 'mined', hash: HASH, success: true, blockNumber: 7n },
    ])
    expect(state).toEqual({ status: 'confirmed', kind: 'swap', label: 'Swap', hash: HASH, blockNumber: 7n })
  })

  it('fails with a human reason when it reverts on chain', () => {
    const state = run([
      { type: 'sign', kind: 'swap', label: 'Swap' },
      { type: 'sent', hash: HASH },
      {
        type: 'mined',
        hash: HASH,
        success: false,
        blockNumber: 7n,
        reason: 'The price moved beyond your slippage tolerance.',
      },
    ])
    expect(state).toMatchObject({
      status: 'failed',
      hash: HASH,
      reason: 'The price moved beyond your slippage tolerance.',
    })
  })

  it('fails without a hash when the wallet refuses or the simulation reverts', () => {
    const state = run([
      { type: 'sign', kind: 'approve', label: 'Approve USDC' },
      { type: 'error', error: Object.assign(new Error('User rejected the request.'), { code: 4001 }) },
    ])
    expect(state).toEqual({
      status: 'failed',
      kind: 'approve',
      label: 'Approve USDC',
      reason: 'You rejected the request in your wallet.',
    })
  })

  it('ignores a receipt for another hash and a second start while one is unfinished', () => {
    const pending = run([
      { type: 'sign', kind: 'swap', label: 'Swap' },
      { type: 'sent', hash: HASH },
    ])
    expect(run([{ type: 'mined', hash: OTHER, success: true, blockNumber: 1n }], pending)).toBe(pending)
    expect(run([{ type: 'sign', kind: 'swap', label: 'Again' }], pending)).toBe(pending)
    expect(run([{ type: 'reset' }], pending)).toBe(pending)
  })

  it('ignores a hash that arrives when nothing is being signed, and resets once finished', () => {
    expect(run([{ type: 'sent', hash: HASH }])).toBe(IDLE)
    const done = run([
      { type: 'sign', kind: 'swap', label: 'Swap' },
      { type: 'sent', hash: HASH },
      { type: 'mined', hash: HASH, success: true, blockNumber: 7n },
    ])
    expect(run([{ type: 'reset' }], done)).toBe(IDLE)
  })
})

describe('failure reasons', () => {
  it('names slippage, deadline, balance and allowance reverts in words', () => {
    const nested = {
      shortMessage: 'Execution reverted',
      cause: { message: 'execution reverted: SobaV2Router: INSUFFICIENT_OUTPUT_AMOUNT' },
    }
    expect(humanReason(nested)).toBe('The price moved beyond your slippage tolerance.')
    expect(humanReason(new Error('execution reverted: SobaV2Router: EXPIRED'))).toBe(
      'The transaction deadline passed before it could be mined.',
    )
    expect(humanReason(new Error('ERC20: INSUFFICIENT_ALLOWANCE'))).toBe(
      'The router is not approved for this amount.',
    )
    expect(humanReason(new Error('insufficient funds for gas * price + value'))).toMatch(/Not enough ETH/)
  })

  it('quotes an unknown revert string rather than hiding it', () => {
    expect(humanReason(new Error('execution reverted: Weird: THING'))).toBe(
      'The transaction would revert: Weird: THING.',
    )
    expect(humanReason('???')).toMatch(/failed/)
  })
})
