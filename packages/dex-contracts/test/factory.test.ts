import { type Address, getAddress, type Hex, parseEventLogs, zeroAddress } from 'viem'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { PAIR_INIT_CODE_HASH, SobaFactory, SobaPair } from '../src/generated/artifacts.js'
import { pairAddress, sortTokens } from '../src/pair-address.js'
import { UNISWAP_V2_INIT_CODE_HASH } from '../src/uniswap.js'
import { createFixture, type Fixture, revertOf } from './fixture.js'

let f: Fixture
let snap: Hex
const abi = SobaFactory.abi

beforeAll(async () => {
  f = await createFixture()
})
beforeEach(async () => {
  snap = await f.snapshot()
})
afterEach(async () => {
  await f.revertTo(snap)
})

describe('createPair', () => {
  it('deploys at the CREATE2 address computed offline, registers both orders, emits PairCreated', async () => {
    const [a, b] = f.tokens
    const receipt = await f.send(f.soba.factory, abi, 'createPair', [b, a])
    const [token0, token1] = sortTokens(a, b)
    const expected = pairAddress(f.soba.factory, a, b)
    expect(await f.pairOf(f.soba, a, b)).toBe(expected)
    expect(await f.pairOf(f.soba, b, a)).toBe(expected)
    expect(await f.read(f.soba.factory, abi, 'allPairs', [0n])).toBe(expected)
    expect(await f.read(f.soba.factory, abi, 'allPairsLength')).toBe(1n)
    const event = parseEventLogs({ abi, logs: receipt.logs, eventName: 'PairCreated' })[0]!
    expect(event.args).toEqual([getAddress(token0), getAddress(token1), expected, 1n]) // the count is unnamed
    expect(await f.read(expected, SobaPair.abi, 'token0')).toBe(getAddress(token0))
  })

  it('publishes the same init code hash the build derived', async () => {
    expect(await f.read(f.soba.factory, abi, 'pairCodeHash')).toBe(PAIR_INIT_CODE_HASH)
  })

  it('matches the original Uniswap v2 addressing scheme with its own hash', async () => {
    const [a, b] = f.tokens
    await f.send(f.uniswap.factory, abi, 'createPair', [a, b])
    expect(await f.pairOf(f.uniswap, a, b)).toBe(
      pairAddress(f.uniswap.factory, a, b, UNISWAP_V2_INIT_CODE_HASH),
    )
  })

  it('has a revert reason for identical tokens, the zero address and an existing pair', async () => {
    const [a, b] = f.tokens
    expect(await revertOf(f.send(f.soba.factory, abi, 'createPair', [a, a]))).toBe(
      'SobaV2: IDENTICAL_ADDRESSES',
    )
    expect(await revertOf(f.send(f.soba.factory, abi, 'createPair', [a, zeroAddress]))).toBe(
      'SobaV2: ZERO_ADDRESS',
    )
    await f.send(f.soba.factory, abi, 'createPair', [a, b])
    expect(await revertOf(f.send(f.soba.factory, abi, 'createPair', [b, a]))).toBe('SobaV2: PAIR_EXISTS')
  })
})

describe('fee settings', () => {
  it('only feeToSetter may change feeTo and hand over the role', async () => {
    const { alice, bob, carol } = f.accounts
    expect(await f.read(f.soba.factory, abi, 'feeToSetter')).toBe(alice)
    expect(await f.read(f.soba.factory, abi, 'feeTo')).toBe(zeroAddress)
    expect(await revertOf(f.send(f.soba.factory, abi, 'setFeeTo', [bob], { from: bob }))).toBe(
      'SobaV2: FORBIDDEN',
    )
    expect(await revertOf(f.send(f.soba.factory, abi, 'setFeeToSetter', [bob], { from: bob }))).toBe(
      'SobaV2: FORBIDDEN',
    )
    await f.send(f.soba.factory, abi, 'setFeeTo', [carol])
    expect(await f.read(f.soba.factory, abi, 'feeTo')).toBe(carol)
    await f.send(f.soba.factory, abi, 'setFeeToSetter', [bob])
    expect(await revertOf(f.send(f.soba.factory, abi, 'setFeeTo', [alice]))).toBe('SobaV2: FORBIDDEN')
    await f.send(f.soba.factory, abi, 'setFeeTo', [zeroAddress], { from: bob })
    expect(await f.read<Address>(f.soba.factory, abi, 'feeTo')).toBe(zeroAddress)
  })
})
