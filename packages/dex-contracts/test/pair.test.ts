import {
  type Address,
  getAddress,
  type Hex,
  hashStruct,
  hashTypedData,
  keccak256,
  maxUint256,
  parseEventLogs,
  parseSignature,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import { FailingToken, FlashBorrower, SobaFactory, SobaPair, TestToken } from '../src/generated/artifacts.js'
import { sortTokens } from '../src/pair-address.js'
import { createFixture, E18, type Fixture, MINIMUM_LIQUIDITY, revertOf, sqrt } from './fixture.js'

let f: Fixture
let pair: Address
let token0: Address
let token1: Address
let alice: Address
let bob: Address
let snap: Hex

const pairAbi = SobaPair.abi
const Q112 = 2n ** 112n

beforeAll(async () => {
  f = await createFixture()
  ;({ alice, bob } = f.accounts)
  ;[token0, token1] = sortTokens(f.tokens[0], f.tokens[1])
  await f.send(f.soba.factory, SobaFactory.abi, 'createPair', [token0, token1])
  pair = await f.pairOf(f.soba, token0, token1)
})
beforeEach(async () => {
  snap = await f.snapshot()
})
afterEach(async () => {
  await f.revertTo(snap)
})

const transfer = (token: Address, to: Address, amount: bigint, from = alice) =>
  f.send(token, TestToken.abi, 'transfer', [to, amount], { from })
const pairSend = (fn: string, args: readonly unknown[] = [], from = alice) =>
  f.send(pair, pairAbi, fn, args, { from })
const pairRead = <T>(fn: string, args: readonly unknown[] = []) => f.read<T>(pair, pairAbi, fn, args)
const reserves = async () => {
  const [r0, r1, ts] = await pairRead<[bigint, bigint, number]>('getReserves')
  return { r0, r1, ts }
}
const balanceOf = (token: Address, who: Address) => f.read<bigint>(token, TestToken.abi, 'balanceOf', [who])
const lpBalance = (who: Address) => pairRead<bigint>('balanceOf', [who])

async function addLiquidity(amount0: bigint, amount1: bigint, to = alice) {
  await transfer(token0, pair, amount0)
  await transfer(token1, pair, amount1)
  return pairSend('mint', [to])
}

function amountOut(amountIn: bigint, reserveIn: bigint, reserveOut: bigint) {
  return (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n)
}

async function setNextTimestamp(ts: bigint) {
  await f.chain.request({ method: 'evm_setNextBlockTimestamp', params: [`0x${ts.toString(16)}`] })
}

describe('pair metadata', () => {
  it('knows its factory and sorted tokens, and initialize is factory-only', async () => {
    expect((await pairRead<Address>('factory')).toLowerCase()).toBe(f.soba.factory.toLowerCase())
    expect(await pairRead('token0')).toBe(getAddress(token0))
    expect(await pairRead('token1')).toBe(getAddress(token1))
    expect(await pairRead('MINIMUM_LIQUIDITY')).toBe(MINIMUM_LIQUIDITY)
    expect(await revertOf(pairSend('initialize', [token1, token0]))).toBe('SobaV2: FORBIDDEN')
  })
})

describe('mint', () => {
  it('locks MINIMUM_LIQUIDITY at address zero and mints sqrt(x*y) - 1000 on the first deposit', async () => {
    const receipt = await addLiquidity(E18, 4n * E18)
    const expected = sqrt(E18 * 4n * E18) - MINIMUM_LIQUIDITY
    expect(await lpBalance(alice)).toBe(expected)
    expect(await lpBalance(zeroAddress)).toBe(MINIMUM_LIQUIDITY)
    expect(await pairRead('totalSupply')).toBe(expected + MINIMUM_LIQUIDITY)
    const { r0, r1 } = await reserves()
    expect([r0, r1]).toEqual([E18, 4n * E18])
    const events = parseEventLogs({ abi: pairAbi, logs: receipt.logs }).map((e) => [e.eventName, e.args])
    expect(events).toEqual([
      ['Transfer', { from: zeroAddress, to: zeroAddress, value: MINIMUM_LIQUIDITY }],
      ['Transfer', { from: zeroAddress, to: alice, value: expected }],
      ['Sync', { reserve0: E18, reserve1: 4n * E18 }],
      ['Mint', { sender: alice, amount0: E18, amount1: 4n * E18 }],
    ])
  })

  it('refuses a first deposit worth no more than MINIMUM_LIQUIDITY', async () => {
    await transfer(token0, pair, 1000n)
    await transfer(token1, pair, 1000n)
    expect(await revertOf(pairSend('mint', [alice]))).toBe('SobaV2: INSUFFICIENT_LIQUIDITY_MINTED')
    await transfer(token0, pair, 0n)
    await pairSend('skim', [alice])
    await transfer(token0, pair, 999n)
    await transfer(token1, pair, 999n)
    // sqrt(999*999) - 1000 underflows: checked arithmetic reverts
    expect(await revertOf(pairSend('mint', [alice]))).toBe('Panic(0x11)')
  })

  it('mints the smaller of the two proportional shares afterwards', async () => {
    await addLiquidity(E18, 4n * E18)
    const supply = await pairRead<bigint>('totalSupply')
    await addLiquidity(E18, E18, bob) // token1 is the short side
    expect(await lpBalance(bob)).toBe((E18 * supply) / (4n * E18))
    expect(await revertOf(pairSend('mint', [bob]))).toBe('SobaV2: INSUFFICIENT_LIQUIDITY_MINTED')
  })
})

describe('burn', () => {
  it('pays out the pro-rata share of balances and burns the LP tokens', async () => {
    await addLiquidity(3n * E18, 3n * E18)
    const liquidity = await lpBalance(alice)
    const supply = await pairRead<bigint>('totalSupply')
    await pairSend('transfer', [pair, liquidity])
    const before0 = await balanceOf(token0, bob)
    const receipt = await pairSend('burn', [bob])
    const expected = (liquidity * 3n * E18) / supply
    expect((await balanceOf(token0, bob)) - before0).toBe(expected)
    expect(await pairRead('totalSupply')).toBe(MINIMUM_LIQUIDITY)
    const { r0, r1 } = await reserves()
    expect([r0, r1]).toEqual([3n * E18 - expected, 3n * E18 - expected])
    const burn = parseEventLogs({ abi: pairAbi, logs: receipt.logs, eventName: 'Burn' })[0]!
    expect(burn.args).toEqual({ sender: alice, amount0: expected, amount1: expected, to: bob })
  })

  it('reverts when no LP tokens were sent in', async () => {
    await addLiquidity(E18, E18)
    expect(await revertOf(pairSend('burn', [alice]))).toBe('SobaV2: INSUFFICIENT_LIQUIDITY_BURNED')
  })
})

describe('swap', () => {
  beforeEach(async () => {
    await addLiquidity(5n * E18, 10n * E18)
  })

  it('pays exactly getAmountOut for the input, and one wei more breaks K', async () => {
    const out = amountOut(E18, 5n * E18, 10n * E18)
    await transfer(token0, pair, E18)
    expect(await revertOf(pairSend('swap', [0n, out + 1n, bob, '0x']))).toBe('SobaV2: K')
    const before = await balanceOf(token1, bob)
    const receipt = await pairSend('swap', [0n, out, bob, '0x'])
    expect((await balanceOf(token1, bob)) - before).toBe(out)
    const { r0, r1 } = await reserves()
    expect([r0, r1]).toEqual([6n * E18, 10n * E18 - out])
    const swap = parseEventLogs({ abi: pairAbi, logs: receipt.logs, eventName: 'Swap' })[0]!
    expect(swap.args).toEqual({
      sender: alice,
      amount0In: E18,
      amount1In: 0n,
      amount0Out: 0n,
      amount1Out: out,
      to: bob,
    })
  })

  it('swaps token1 for token0 the same way', async () => {
    const out = amountOut(E18, 10n * E18, 5n * E18)
    await transfer(token1, pair, E18)
    await pairSend('swap', [out, 0n, alice, '0x'])
    const { r0, r1 } = await reserves()
    expect([r0, r1]).toEqual([5n * E18 - out, 11n * E18])
  })

  it('has a revert reason for every bad request', async () => {
    expect(await revertOf(pairSend('swap', [0n, 0n, alice, '0x']))).toBe('SobaV2: INSUFFICIENT_OUTPUT_AMOUNT')
    expect(await revertOf(pairSend('swap', [5n * E18, 0n, alice, '0x']))).toBe(
      'SobaV2: INSUFFICIENT_LIQUIDITY',
    )
    expect(await revertOf(pairSend('swap', [0n, 10n * E18, alice, '0x']))).toBe(
      'SobaV2: INSUFFICIENT_LIQUIDITY',
    )
    expect(await revertOf(pairSend('swap', [1n, 0n, token0, '0x']))).toBe('SobaV2: INVALID_TO')
    expect(await revertOf(pairSend('swap', [1n, 0n, token1, '0x']))).toBe('SobaV2: INVALID_TO')
    expect(await revertOf(pairSend('swap', [1n, 0n, alice, '0x']))).toBe('SobaV2: INSUFFICIENT_INPUT_AMOUNT')
  })

  it('lends first and checks K after the callback (flash swap), under the lock', async () => {
    const borrower = await f.deploy(FlashBorrower.abi, FlashBorrower.bytecode)
    await transfer(token0, borrower, E18)
    const borrowed = E18 / 10n
    // With no other input, the repayment r must satisfy (b + r) * 1000 - 3r >= b * 1000, b = reserve - borrowed + ...
    // i.e. r >= borrowed * 1000 / 997 (rounded up).
    const minRepay = (borrowed * 1000n + 996n) / 997n
    expect(
      await revertOf(
        f.send(borrower, FlashBorrower.abi, 'flash', [pair, borrowed, 0n, minRepay - 1n, 0n, false]),
      ),
    ).toBe('SobaV2: K')
    await f.send(borrower, FlashBorrower.abi, 'flash', [pair, borrowed, 0n, minRepay, 0n, false])
    expect(await f.read(borrower, FlashBorrower.abi, 'lastSender')).toBe(getAddress(borrower))
    expect((await reserves()).r0).toBe(5n * E18 - borrowed + minRepay)
    expect(
      await revertOf(f.send(borrower, FlashBorrower.abi, 'flash', [pair, borrowed, 0n, E18 / 5n, 0n, true])),
    ).toBe('SobaV2: LOCKED')
  })
})

describe('skim and sync', () => {
  it('skim sends the excess over reserves away; sync adopts it into reserves', async () => {
    await addLiquidity(E18, E18)
    await transfer(token0, pair, 123n)
    await transfer(token1, pair, 456n)
    const before = [await balanceOf(token0, bob), await balanceOf(token1, bob)]
    await pairSend('skim', [bob])
    expect((await balanceOf(token0, bob)) - before[0]!).toBe(123n)
    expect((await balanceOf(token1, bob)) - before[1]!).toBe(456n)
    await transfer(token0, pair, 7n)
    const receipt = await pairSend('sync')
    const { r0, r1 } = await reserves()
    expect([r0, r1]).toEqual([E18 + 7n, E18]) // the earlier 123 went out with the skim
    expect(parseEventLogs({ abi: pairAbi, logs: receipt.logs, eventName: 'Sync' })[0]!.args).toEqual({
      reserve0: E18 + 7n,
      reserve1: E18,
    })
  })

  it('refuses balances above uint112', async () => {
    await f.send(token0, TestToken.abi, 'mint', [alice, 2n ** 112n])
    await transfer(token0, pair, 2n ** 112n)
    expect(await revertOf(pairSend('sync'))).toBe('SobaV2: OVERFLOW')
  })
})

describe('token transfers out of the pair', () => {
  it('reverts with TRANSFER_FAILED when a token returns false or reverts', async () => {
    const failing = await f.deploy(FailingToken.abi, FailingToken.bytecode, [10n ** 30n])
    const other = f.tokens[2]
    await f.send(f.soba.factory, SobaFactory.abi, 'createPair', [failing, other])
    const p = await f.pairOf(f.soba, failing, other)
    await f.send(failing, FailingToken.abi, 'transfer', [p, E18])
    await transfer(other, p, E18)
    await f.send(p, pairAbi, 'mint', [alice])
    const [t0] = sortTokens(failing, other)
    await f.send(failing, FailingToken.abi, 'transfer', [p, E18 / 10n])
    await transfer(other, p, E18 / 10n)
    const out = t0 === failing ? [E18 / 20n, 0n] : [0n, E18 / 20n]
    for (const mode of [1, 2]) {
      await f.send(failing, FailingToken.abi, 'setFailMode', [mode, zeroAddress])
      expect(await revertOf(f.send(p, pairAbi, 'swap', [...out, alice, '0x']))).toBe(
        'SobaV2: TRANSFER_FAILED',
      )
    }
  })
})

describe('price accumulators (TWAP)', () => {
  it('add the UQ112x112 price times the seconds elapsed, once per block', async () => {
    await addLiquidity(2n * E18, 8n * E18)
    const { ts } = await reserves()
    await setNextTimestamp(BigInt(ts) + 10n)
    await pairSend('sync')
    expect(await pairRead('price0CumulativeLast')).toBe(((8n * E18 * Q112) / (2n * E18)) * 10n)
    expect(await pairRead('price1CumulativeLast')).toBe(((2n * E18 * Q112) / (8n * E18)) * 10n)
    const p0 = await pairRead<bigint>('price0CumulativeLast')
    await transfer(token0, pair, 2n * E18) // reserves become 4:8 at the next update
    await setNextTimestamp(BigInt(ts) + 15n)
    await pairSend('sync')
    expect(await pairRead('price0CumulativeLast')).toBe(p0 + ((8n * E18 * Q112) / (2n * E18)) * 5n)
    await setNextTimestamp(BigInt(ts) + 20n)
    await pairSend('sync')
    expect(await pairRead('price0CumulativeLast')).toBe(
      p0 + ((8n * E18 * Q112) / (2n * E18)) * 5n + ((8n * Q112) / 4n) * 5n,
    )
  })

  it('keeps counting across the uint32 timestamp wrap in 2106', async () => {
    await addLiquidity(E18, E18)
    await setNextTimestamp(2n ** 32n - 4n)
    await pairSend('sync')
    const before = await pairRead<bigint>('price0CumulativeLast')
    await setNextTimestamp(2n ** 32n + 6n)
    await pairSend('sync')
    expect((await reserves()).ts).toBe(6)
    expect((await pairRead<bigint>('price0CumulativeLast')) - before).toBe(Q112 * 10n)
  })
})

describe('protocol fee', () => {
  it('mints 1/6 of the sqrt(k) growth to feeTo at the next liquidity event, and resets kLast when turned off', async () => {
    await f.send(f.soba.factory, SobaFactory.abi, 'setFeeTo', [bob])
    await addLiquidity(10n * E18, 10n * E18)
    expect(await pairRead('kLast')).toBe(100n * E18 * E18)
    for (let i = 0; i < 5; i++) {
      const { r0, r1 } = await reserves()
      await transfer(token0, pair, E18)
      await pairSend('swap', [0n, amountOut(E18, r0, r1), alice, '0x'])
      const after = await reserves()
      await transfer(token1, pair, E18)
      await pairSend('swap', [amountOut(E18, after.r1, after.r0), 0n, alice, '0x'])
    }
    const { r0, r1 } = await reserves()
    const supply = await pairRead<bigint>('totalSupply')
    const rootK = sqrt(r0 * r1)
    const rootKLast = sqrt(100n * E18 * E18)
    const expectedFee = (supply * (rootK - rootKLast)) / (rootK * 5n + rootKLast)
    expect(expectedFee).toBeGreaterThan(0n)
    await addLiquidity(E18, E18)
    expect(await lpBalance(bob)).toBe(expectedFee)
    const after = await reserves()
    expect(await pairRead('kLast')).toBe(after.r0 * after.r1)

    await f.send(f.soba.factory, SobaFactory.abi, 'setFeeTo', [zeroAddress])
    await addLiquidity(E18, E18)
    expect(await pairRead('kLast')).toBe(0n)
    expect(await lpBalance(bob)).toBe(expectedFee)
  })
})

describe('LP token (ERC-20 + EIP-2612)', () => {
  beforeEach(async () => {
    await addLiquidity(E18, E18)
  })

  it('has fixed metadata and standard transfers and allowances', async () => {
    expect(await pairRead('name')).toBe('Soba V2')
    expect(await pairRead('symbol')).toBe('SOBA-LP')
    expect(await pairRead('decimals')).toBe(18)
    await pairSend('transfer', [bob, 100n])
    expect(await lpBalance(bob)).toBe(100n)
    await pairSend('approve', [bob, 60n])
    await pairSend('transferFrom', [alice, bob, 50n], bob)
    expect(await pairRead('allowance', [alice, bob])).toBe(10n)
    expect(await revertOf(pairSend('transferFrom', [alice, bob, 11n], bob))).toBe('Panic(0x11)')
    expect(await revertOf(pairSend('transfer', [alice, 1000n], bob))).toBe('Panic(0x11)')
    await pairSend('approve', [bob, maxUint256])
    await pairSend('transferFrom', [alice, bob, 1n], bob)
    expect(await pairRead('allowance', [alice, bob])).toBe(maxUint256)
  })

  it('accepts an EIP-712 permit once, before its deadline, from the owner only', async () => {
    const owner = privateKeyToAccount(f.chain.accounts[0]!.privateKey)
    const domain = { name: 'Soba V2', version: '1', chainId: f.chain.chainId, verifyingContract: pair }
    const types = {
      Permit: [
        { name: 'owner', type: 'address' },
        { name: 'spender', type: 'address' },
        { name: 'value', type: 'uint256' },
        { name: 'nonce', type: 'uint256' },
        { name: 'deadline', type: 'uint256' },
      ],
    } as const
    const deadline = (await f.latestTimestamp()) + 3600n
    const message = { owner: owner.address, spender: bob, value: 77n, nonce: 0n, deadline }
    const domainSeparator = await pairRead<Hex>('DOMAIN_SEPARATOR')
    expect(hashTypedData({ domain, types, primaryType: 'Permit', message })).toBe(
      keccak256(
        `0x1901${domainSeparator.slice(2)}${hashStruct({ data: message, types, primaryType: 'Permit' }).slice(2)}`,
      ),
    )
    const signature = await owner.signTypedData({ domain, types, primaryType: 'Permit', message })
    const { v, r, s } = parseSignature(signature)
    const args = [owner.address, bob, 77n, deadline, Number(v), r, s]
    await pairSend('permit', args, bob)
    expect(await pairRead('allowance', [owner.address, bob])).toBe(77n)
    expect(await pairRead('nonces', [owner.address])).toBe(1n)
    expect(await revertOf(pairSend('permit', args, bob))).toBe('SobaV2: INVALID_SIGNATURE')
    expect(await revertOf(pairSend('permit', [bob, bob, 77n, deadline, Number(v), r, s], bob))).toBe(
      'SobaV2: INVALID_SIGNATURE',
    )
    const late = [owner.address, bob, 77n, (await f.latestTimestamp()) - 1n, Number(v), r, s]
    expect(await revertOf(pairSend('permit', late, bob))).toBe('SobaV2: EXPIRED')
  })
})
