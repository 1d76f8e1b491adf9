import {
  type Address,
  createWalletClient,
  custom,
  encodeErrorResult,
  getAddress,
  type Hex,
  maxUint256,
  zeroAddress,
} from 'viem'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  FailingToken,
  FeeOnTransferToken,
  SobaPair,
  SobaRouter,
  TestToken,
} from '../src/generated/artifacts.js'
import { createFixture, DEADLINE, E18, type Fixture, revertOf } from './fixture.js'

let f: Fixture
let snap: Hex
let alice: Address
let bob: Address
let A: Address
let B: Address
let C: Address
let WETH: Address
let router: Address
let fot: Address

const abi = SobaRouter.abi
const panicAbi = [{ type: 'error', name: 'Panic', inputs: [{ name: 'code', type: 'uint256' }] }] as const
const r = (fn: string, args: readonly unknown[], options: { from?: Address; value?: bigint } = {}) =>
  f.send(router, abi, fn, args, options)
const q = <T>(fn: string, args: readonly unknown[]) => f.read<T>(router, abi, fn, args)
const balance = (token: Address, who: Address) => f.read<bigint>(token, TestToken.abi, 'balanceOf', [who])
const ethBalance = (who: Address) => f.publicClient.getBalance({ address: who })
const reservesOf = async (tokenA: Address, tokenB: Address): Promise<[bigint, bigint]> => {
  const pair = await f.pairOf(f.soba, tokenA, tokenB)
  const [r0, r1] = await f.read<[bigint, bigint, number]>(pair, SobaPair.abi, 'getReserves')
  return BigInt(tokenA) < BigInt(tokenB) ? [r0, r1] : [r1, r0]
}
const amountOut = (amountIn: bigint, reserveIn: bigint, reserveOut: bigint) =>
  (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n)
const amountIn = (out: bigint, reserveIn: bigint, reserveOut: bigint) =>
  (reserveIn * out * 1000n) / ((reserveOut - out) * 997n) + 1n

beforeAll(async () => {
  f = await createFixture()
  ;({ alice, bob } = f.accounts)
  ;[A, B, C] = f.tokens
  WETH = f.soba.weth
  router = f.soba.router
  fot = await f.deploy(FeeOnTransferToken.abi, FeeOnTransferToken.bytecode, ['Fee', 'FEE', 100n])
  await f.send(fot, FeeOnTransferToken.abi, 'mint', [alice, 10n ** 9n * E18])
  await f.send(fot, FeeOnTransferToken.abi, 'approve', [router, maxUint256])
  await r('addLiquidity', [A, B, 1000n * E18, 2000n * E18, 0n, 0n, alice, DEADLINE])
  await r('addLiquidity', [B, C, 1000n * E18, 1000n * E18, 0n, 0n, alice, DEADLINE])
  await r('addLiquidityETH', [A, 1000n * E18, 0n, 0n, alice, DEADLINE], { value: 10n * E18 })
  await r('addLiquidityETH', [fot, 1000n * E18, 0n, 0n, alice, DEADLINE], { value: 10n * E18 })
  await r('addLiquidity', [fot, A, 1000n * E18, 1000n * E18, 0n, 0n, alice, DEADLINE])
})
beforeEach(async () => {
  snap = await f.snapshot()
})
afterEach(async () => {
  await f.revertTo(snap)
})

describe('router basics', () => {
  it('knows its factory and WETH, and takes ETH only from WETH', async () => {
    expect(await q('factory', [])).toBe(getAddress(f.soba.factory))
    expect(await q('WETH', [])).toBe(getAddress(WETH))
    const call = f.chain.request({
      method: 'eth_call',
      params: [{ from: alice, to: router, value: '0x1' }, 'latest'],
    })
    // Panic(0x01): the assert in receive()
    await expect(call).rejects.toMatchObject({
      code: 3,
      data: encodeErrorResult({ abi: panicAbi, args: [1n] }),
    })
    const wallet = createWalletClient({ transport: custom(f.chain), account: alice })
    const hash = await wallet.sendTransaction({ to: router, value: 1n, chain: null, gas: 100_000n })
    expect((await f.publicClient.getTransactionReceipt({ hash })).status).toBe('reverted')
  })

  it('rejects every state-changing call past its deadline', async () => {
    const past = (await f.latestTimestamp()) - 1n
    const sig = { v: 27, r: `0x${'11'.repeat(32)}`, s: `0x${'22'.repeat(32)}` }
    const calls: [string, unknown[], bigint?][] = [
      ['addLiquidity', [A, B, E18, E18, 0n, 0n, alice, past]],
      ['addLiquidityETH', [A, E18, 0n, 0n, alice, past], E18],
      ['removeLiquidity', [A, B, 1n, 0n, 0n, alice, past]],
      ['removeLiquidityETH', [A, 1n, 0n, 0n, alice, past]],
      ['removeLiquidityETHSupportingFeeOnTransferTokens', [fot, 1n, 0n, 0n, alice, past]],
      ['swapExactTokensForTokens', [E18, 0n, [A, B], alice, past]],
      ['swapTokensForExactTokens', [E18, maxUint256, [A, B], alice, past]],
      ['swapExactETHForTokens', [0n, [WETH, A], alice, past], E18],
      ['swapTokensForExactETH', [1n, maxUint256, [A, WETH], alice, past]],
      ['swapExactTokensForETH', [E18, 0n, [A, WETH], alice, past]],
      ['swapETHForExactTokens', [1n, [WETH, A], alice, past], E18],
      ['swapExactTokensForTokensSupportingFeeOnTransferTokens', [E18, 0n, [A, B], alice, past]],
      ['swapExactETHForTokensSupportingFeeOnTransferTokens', [0n, [WETH, A], alice, past], E18],
      ['swapExactTokensForETHSupportingFeeOnTransferTokens', [E18, 0n, [A, WETH], alice, past]],
    ]
    for (const [fn, args, value] of calls) {
      expect(await revertOf(r(fn, args, { value })), fn).toBe('SobaV2Router: EXPIRED')
    }
    // The permit variants fail inside the pair's permit first, on the same deadline.
    for (const [fn, args] of [
      ['removeLiquidityWithPermit', [A, B, 1n, 0n, 0n, alice, past, false, sig.v, sig.r, sig.s]],
      ['removeLiquidityETHWithPermit', [A, 1n, 0n, 0n, alice, past, false, sig.v, sig.r, sig.s]],
      [
        'removeLiquidityETHWithPermitSupportingFeeOnTransferTokens',
        [fot, 1n, 0n, 0n, alice, past, false, sig.v, sig.r, sig.s],
      ],
    ] as const) {
      expect(await revertOf(r(fn, args)), fn).toBe('SobaV2: EXPIRED')
    }
  })
})

describe('add liquidity', () => {
  it('creates a missing pair and deposits the desired amounts as the first price', async () => {
    expect(await f.pairOf(f.soba, A, C)).toBe(zeroAddress)
    await r('addLiquidity', [A, C, 5n * E18, 7n * E18, 5n * E18, 7n * E18, bob, DEADLINE])
    expect(await reservesOf(A, C)).toEqual([5n * E18, 7n * E18])
    const pair = await f.pairOf(f.soba, A, C)
    expect(await f.read(pair, SobaPair.abi, 'balanceOf', [bob])).toBe(
      (await f.read<bigint>(pair, SobaPair.abi, 'totalSupply')) - 1000n,
    )
  })

  it('takes the optimal amount of the other token and honours the minimums', async () => {
    // pool A:B = 1:2
    const beforeB = await balance(B, alice)
    await r('addLiquidity', [A, B, 10n * E18, 50n * E18, 0n, 0n, alice, DEADLINE])
    expect(beforeB - (await balance(B, alice))).toBe(20n * E18)
    const beforeA = await balance(A, alice)
    await r('addLiquidity', [A, B, 50n * E18, 10n * E18, 0n, 0n, alice, DEADLINE])
    expect(beforeA - (await balance(A, alice))).toBe(5n * E18)
    expect(
      await revertOf(r('addLiquidity', [A, B, 10n * E18, 50n * E18, 0n, 21n * E18, alice, DEADLINE])),
    ).toBe('SobaV2Router: INSUFFICIENT_B_AMOUNT')
    expect(
      await revertOf(r('addLiquidity', [A, B, 50n * E18, 10n * E18, 6n * E18, 0n, alice, DEADLINE])),
    ).toBe('SobaV2Router: INSUFFICIENT_A_AMOUNT')
  })

  it('wraps ETH for the WETH side and refunds what the ratio does not need', async () => {
    // pool A:WETH = 100:1; 10 A needs 0.1 ETH, 1 ETH sent
    const before = await ethBalance(bob)
    const receipt = await r('addLiquidityETH', [A, 10n * E18, 0n, 0n, bob, DEADLINE], {
      from: bob,
      value: E18,
    })
    const gas = receipt.gasUsed * receipt.effectiveGasPrice
    expect(before - (await ethBalance(bob)) - gas).toBe(E18 / 10n)
    expect(await reservesOf(A, WETH)).toEqual([1010n * E18, 10n * E18 + E18 / 10n])
    expect(await revertOf(r('addLiquidityETH', [A, 10n * E18, 0n, E18, bob, DEADLINE], { value: E18 }))).toBe(
      'SobaV2Router: INSUFFICIENT_B_AMOUNT',
    )
  })

  it('reports a token that fails transferFrom', async () => {
    const failing = await f.deploy(FailingToken.abi, FailingToken.bytecode, [10n ** 30n])
    await f.send(failing, FailingToken.abi, 'approve', [router, maxUint256])
    await f.send(failing, FailingToken.abi, 'setFailMode', [1, zeroAddress])
    expect(await revertOf(r('addLiquidity', [failing, A, E18, E18, 0n, 0n, alice, DEADLINE]))).toBe(
      'TransferHelper: TRANSFER_FROM_FAILED',
    )
  })
})

describe('remove liquidity', () => {
  async function lp(tokenA: Address, tokenB: Address) {
    const pair = await f.pairOf(f.soba, tokenA, tokenB)
    await f.send(pair, SobaPair.abi, 'approve', [router, maxUint256])
    return pair
  }

  it('burns LP for both tokens in the caller order and honours the minimums', async () => {
    const pair = await lp(A, B)
    const supply = await f.read<bigint>(pair, SobaPair.abi, 'totalSupply')
    const [rA, rB] = await reservesOf(A, B)
    const liquidity = E18
    const expectA = (liquidity * rA) / supply
    const expectB = (liquidity * rB) / supply
    expect(await revertOf(r('removeLiquidity', [B, A, liquidity, expectB + 1n, 0n, bob, DEADLINE]))).toBe(
      'SobaV2Router: INSUFFICIENT_A_AMOUNT',
    )
    expect(await revertOf(r('removeLiquidity', [B, A, liquidity, 0n, expectA + 1n, bob, DEADLINE]))).toBe(
      'SobaV2Router: INSUFFICIENT_B_AMOUNT',
    )
    const before = [await balance(A, bob), await balance(B, bob)]
    await r('removeLiquidity', [B, A, liquidity, expectB, expectA, bob, DEADLINE])
    expect([(await balance(A, bob)) - before[0]!, (await balance(B, bob)) - before[1]!]).toEqual([
      expectA,
      expectB,
    ])
  })

  it('unwraps the WETH side to ETH', async () => {
    const pair = await lp(A, WETH)
    const supply = await f.read<bigint>(pair, SobaPair.abi, 'totalSupply')
    const [rA, rW] = await reservesOf(A, WETH)
    const before = await ethBalance(bob)
    await r('removeLiquidityETH', [A, E18, 0n, 0n, bob, DEADLINE])
    expect((await ethBalance(bob)) - before).toBe((E18 * rW) / supply)
    expect(await balance(A, bob)).toBeGreaterThanOrEqual((E18 * rA) / supply)
  })

  it('reports a recipient that refuses ETH and a token the router cannot forward', async () => {
    await lp(A, WETH)
    expect(await revertOf(r('removeLiquidityETH', [A, E18, 0n, 0n, B, DEADLINE]))).toBe(
      'TransferHelper: ETH_TRANSFER_FAILED',
    )
    const failing = await f.deploy(FailingToken.abi, FailingToken.bytecode, [10n ** 30n])
    await f.send(failing, FailingToken.abi, 'approve', [router, maxUint256])
    await r('addLiquidityETH', [failing, 100n * E18, 0n, 0n, alice, DEADLINE], { value: E18 })
    await lp(failing, WETH)
    await f.send(failing, FailingToken.abi, 'setFailMode', [1, router])
    expect(await revertOf(r('removeLiquidityETH', [failing, E18, 0n, 0n, bob, DEADLINE]))).toBe(
      'TransferHelper: TRANSFER_FAILED',
    )
  })

  it('removes with a permit signature instead of an approval', async () => {
    const pairAB = await f.pairOf(f.soba, A, B)
    const pairAW = await f.pairOf(f.soba, A, WETH)
    const deadline = DEADLINE
    let sig = await f.signPermit(pairAB, alice, router, E18, deadline)
    await r('removeLiquidityWithPermit', [A, B, E18, 0n, 0n, bob, deadline, false, sig.v, sig.r, sig.s])
    expect(await f.read(pairAB, SobaPair.abi, 'allowance', [alice, router])).toBe(0n)
    sig = await f.signPermit(pairAW, alice, router, maxUint256, deadline)
    const before = await ethBalance(bob)
    await r('removeLiquidityETHWithPermit', [A, E18, 0n, 0n, bob, deadline, true, sig.v, sig.r, sig.s])
    expect(await ethBalance(bob)).toBeGreaterThan(before)
    expect(await f.read(pairAW, SobaPair.abi, 'allowance', [alice, router])).toBe(maxUint256)
    // a signature for one amount does not authorize another
    sig = await f.signPermit(pairAB, alice, router, E18, deadline)
    expect(
      await revertOf(
        r('removeLiquidityWithPermit', [A, B, 2n * E18, 0n, 0n, bob, deadline, false, sig.v, sig.r, sig.s]),
      ),
    ).toBe('SobaV2: INVALID_SIGNATURE')
  })

  it('forwards whatever a fee-on-transfer token delivered, with or without permit', async () => {
    const pair = await lp(fot, WETH)
    const beforeToken = await balance(fot, bob)
    const beforeEth = await ethBalance(bob)
    await r('removeLiquidityETHSupportingFeeOnTransferTokens', [fot, E18, 0n, 0n, bob, DEADLINE])
    const gotToken = (await balance(fot, bob)) - beforeToken
    expect(gotToken).toBeGreaterThan(0n)
    expect((await ethBalance(bob)) - beforeEth).toBeGreaterThan(0n)
    // the plain variant forwards the burned amount, which the fee has shrunk in the router
    expect(await revertOf(r('removeLiquidityETH', [fot, E18, 0n, 0n, bob, DEADLINE]))).toBe(
      'TransferHelper: TRANSFER_FAILED',
    )
    await f.send(pair, SobaPair.abi, 'approve', [router, 0n])
    const sig = await f.signPermit(pair, alice, router, E18, DEADLINE)
    await r('removeLiquidityETHWithPermitSupportingFeeOnTransferTokens', [
      fot,
      E18,
      0n,
      0n,
      bob,
      DEADLINE,
      false,
      sig.v,
      sig.r,
      sig.s,
    ])
    expect((await balance(fot, bob)) - beforeToken).toBeGreaterThan(gotToken)
  })
})

describe('swaps', () => {
  it('exact in over one and two hops pays what getAmountsOut promised', async () => {
    const [rA, rB] = await reservesOf(A, B)
    const [rB2, rC] = await reservesOf(B, C)
    const out1 = amountOut(E18, rA, rB)
    expect(await q('getAmountsOut', [E18, [A, B, C]])).toEqual([E18, out1, amountOut(out1, rB2, rC)])
    expect(await revertOf(r('swapExactTokensForTokens', [E18, out1 + 1n, [A, B], bob, DEADLINE]))).toBe(
      'SobaV2Router: INSUFFICIENT_OUTPUT_AMOUNT',
    )
    const before = await balance(C, bob)
    await r('swapExactTokensForTokens', [E18, 0n, [A, B, C], bob, DEADLINE])
    expect((await balance(C, bob)) - before).toBe(amountOut(out1, rB2, rC))
    expect(await reservesOf(A, B)).toEqual([rA + E18, rB - out1])
  })

  it('exact out over one and two hops takes what getAmountsIn asked', async () => {
    const [rB, rC] = await reservesOf(B, C)
    const [rA, rB1] = await reservesOf(A, B)
    const inB = amountIn(E18, rB, rC)
    const inA = amountIn(inB, rA, rB1)
    expect(await q('getAmountsIn', [E18, [A, B, C]])).toEqual([inA, inB, E18])
    expect(await revertOf(r('swapTokensForExactTokens', [E18, inA - 1n, [A, B, C], bob, DEADLINE]))).toBe(
      'SobaV2Router: EXCESSIVE_INPUT_AMOUNT',
    )
    const before = [await balance(A, alice), await balance(C, bob)]
    await r('swapTokensForExactTokens', [E18, inA, [A, B, C], bob, DEADLINE])
    expect(before[0]! - (await balance(A, alice))).toBe(inA)
    expect((await balance(C, bob)) - before[1]!).toBe(E18)
  })

  it('ETH in, exact and inexact, with the refund of unused ETH', async () => {
    const [rW, rA] = await reservesOf(WETH, A)
    expect(await revertOf(r('swapExactETHForTokens', [0n, [A, WETH], bob, DEADLINE], { value: E18 }))).toBe(
      'SobaV2Router: INVALID_PATH',
    )
    const out = amountOut(E18 / 10n, rW, rA)
    expect(
      await revertOf(r('swapExactETHForTokens', [out + 1n, [WETH, A], bob, DEADLINE], { value: E18 / 10n })),
    ).toBe('SobaV2Router: INSUFFICIENT_OUTPUT_AMOUNT')
    let before = await balance(A, bob)
    await r('swapExactETHForTokens', [out, [WETH, A], bob, DEADLINE], { value: E18 / 10n })
    expect((await balance(A, bob)) - before).toBe(out)

    const [rW2, rA2] = await reservesOf(WETH, A)
    const need = amountIn(E18, rW2, rA2)
    expect(await revertOf(r('swapETHForExactTokens', [E18, [A, WETH], bob, DEADLINE], { value: E18 }))).toBe(
      'SobaV2Router: INVALID_PATH',
    )
    expect(
      await revertOf(r('swapETHForExactTokens', [E18, [WETH, A], bob, DEADLINE], { value: need - 1n })),
    ).toBe('SobaV2Router: EXCESSIVE_INPUT_AMOUNT')
    before = await balance(A, bob)
    const ethBefore = await ethBalance(bob)
    const receipt = await r('swapETHForExactTokens', [E18, [WETH, A], bob, DEADLINE], {
      from: bob,
      value: E18,
    })
    expect((await balance(A, bob)) - before).toBe(E18)
    expect(ethBefore - (await ethBalance(bob)) - receipt.gasUsed * receipt.effectiveGasPrice).toBe(need)
  })

  it('ETH out, exact and inexact', async () => {
    const [rA, rW] = await reservesOf(A, WETH)
    const out = amountOut(E18, rA, rW)
    expect(await revertOf(r('swapExactTokensForETH', [E18, 0n, [WETH, A], bob, DEADLINE]))).toBe(
      'SobaV2Router: INVALID_PATH',
    )
    expect(await revertOf(r('swapExactTokensForETH', [E18, out + 1n, [A, WETH], bob, DEADLINE]))).toBe(
      'SobaV2Router: INSUFFICIENT_OUTPUT_AMOUNT',
    )
    let before = await ethBalance(bob)
    await r('swapExactTokensForETH', [E18, out, [A, WETH], bob, DEADLINE])
    expect((await ethBalance(bob)) - before).toBe(out)

    const [rA2, rW2] = await reservesOf(A, WETH)
    const need = amountIn(E18 / 100n, rA2, rW2)
    expect(
      await revertOf(r('swapTokensForExactETH', [E18 / 100n, maxUint256, [WETH, A], bob, DEADLINE])),
    ).toBe('SobaV2Router: INVALID_PATH')
    expect(
      await revertOf(r('swapTokensForExactETH', [E18 / 100n, need - 1n, [A, WETH], bob, DEADLINE])),
    ).toBe('SobaV2Router: EXCESSIVE_INPUT_AMOUNT')
    before = await ethBalance(bob)
    const tokenBefore = await balance(A, alice)
    await r('swapTokensForExactETH', [E18 / 100n, need, [A, WETH], bob, DEADLINE])
    expect((await ethBalance(bob)) - before).toBe(E18 / 100n)
    expect(tokenBefore - (await balance(A, alice))).toBe(need)
  })

  it('fee-on-transfer tokens: the plain swap breaks K, the supporting variants price what arrived', async () => {
    expect(await revertOf(r('swapExactTokensForTokens', [E18, 0n, [fot, A], bob, DEADLINE]))).toBe(
      'SobaV2: K',
    )

    const [rF, rA] = await reservesOf(fot, A)
    const arrived = E18 - E18 / 100n // 1% burned on the way into the pair
    const out = amountOut(arrived, rF, rA)
    expect(
      await revertOf(
        r('swapExactTokensForTokensSupportingFeeOnTransferTokens', [E18, out + 1n, [fot, A], bob, DEADLINE]),
      ),
    ).toBe('SobaV2Router: INSUFFICIENT_OUTPUT_AMOUNT')
    let before = await balance(A, bob)
    await r('swapExactTokensForTokensSupportingFeeOnTransferTokens', [E18, out, [fot, A], bob, DEADLINE])
    expect((await balance(A, bob)) - before).toBe(out)

    // ETH in, fee token out: bob receives the output minus the fee on the pair's transfer
    const [rW, rF2] = await reservesOf(WETH, fot)
    const outF = amountOut(E18 / 10n, rW, rF2)
    const delivered = outF - outF / 100n
    expect(
      await revertOf(
        r('swapExactETHForTokensSupportingFeeOnTransferTokens', [0n, [fot, WETH], bob, DEADLINE], {
          value: 1n,
        }),
      ),
    ).toBe('SobaV2Router: INVALID_PATH')
    expect(
      await revertOf(
        r(
          'swapExactETHForTokensSupportingFeeOnTransferTokens',
          [delivered + 1n, [WETH, fot], bob, DEADLINE],
          {
            value: E18 / 10n,
          },
        ),
      ),
    ).toBe('SobaV2Router: INSUFFICIENT_OUTPUT_AMOUNT')
    before = await balance(fot, bob)
    await r('swapExactETHForTokensSupportingFeeOnTransferTokens', [delivered, [WETH, fot], bob, DEADLINE], {
      value: E18 / 10n,
    })
    expect((await balance(fot, bob)) - before).toBe(delivered)

    // fee token in, ETH out
    const [rF3, rW3] = await reservesOf(fot, WETH)
    const outW = amountOut(arrived, rF3, rW3)
    expect(
      await revertOf(
        r('swapExactTokensForETHSupportingFeeOnTransferTokens', [E18, 0n, [WETH, fot], bob, DEADLINE]),
      ),
    ).toBe('SobaV2Router: INVALID_PATH')
    expect(
      await revertOf(
        r('swapExactTokensForETHSupportingFeeOnTransferTokens', [E18, outW + 1n, [fot, WETH], bob, DEADLINE]),
      ),
    ).toBe('SobaV2Router: INSUFFICIENT_OUTPUT_AMOUNT')
    before = await ethBalance(bob)
    await r('swapExactTokensForETHSupportingFeeOnTransferTokens', [E18, outW, [fot, WETH], bob, DEADLINE])
    expect((await ethBalance(bob)) - before).toBe(outW)
  })

  it('fee-on-transfer over two hops', async () => {
    const before = await balance(B, bob)
    await r('swapExactTokensForTokensSupportingFeeOnTransferTokens', [E18, 1n, [fot, A, B], bob, DEADLINE])
    expect(await balance(B, bob)).toBeGreaterThan(before)
  })
})

describe('library functions', () => {
  it('quote, getAmountOut and getAmountIn match the v2 formulas', async () => {
    expect(await q('quote', [E18, 3n * E18, 7n * E18])).toBe((E18 * 7n) / 3n)
    expect(await q('getAmountOut', [E18, 3n * E18, 7n * E18])).toBe(amountOut(E18, 3n * E18, 7n * E18))
    expect(await q('getAmountIn', [E18, 3n * E18, 7n * E18])).toBe(amountIn(E18, 3n * E18, 7n * E18))
  })

  it('has a revert reason for each bad input', async () => {
    expect(await revertOf(q('quote', [0n, 1n, 1n]))).toBe('SobaV2Library: INSUFFICIENT_AMOUNT')
    expect(await revertOf(q('quote', [1n, 0n, 1n]))).toBe('SobaV2Library: INSUFFICIENT_LIQUIDITY')
    expect(await revertOf(q('getAmountOut', [0n, 1n, 1n]))).toBe('SobaV2Library: INSUFFICIENT_INPUT_AMOUNT')
    expect(await revertOf(q('getAmountOut', [1n, 1n, 0n]))).toBe('SobaV2Library: INSUFFICIENT_LIQUIDITY')
    expect(await revertOf(q('getAmountIn', [0n, 1n, 1n]))).toBe('SobaV2Library: INSUFFICIENT_OUTPUT_AMOUNT')
    expect(await revertOf(q('getAmountIn', [1n, 0n, 1n]))).toBe('SobaV2Library: INSUFFICIENT_LIQUIDITY')
    expect(await revertOf(q('getAmountIn', [2n, 1n, 1n]))).toBe('Panic(0x11)') // more out than the reserve
    expect(await revertOf(q('getAmountsOut', [E18, [A]]))).toBe('SobaV2Library: INVALID_PATH')
    expect(await revertOf(q('getAmountsIn', [E18, [A]]))).toBe('SobaV2Library: INVALID_PATH')
    expect(await revertOf(q('getAmountsOut', [E18, [A, A]]))).toBe('SobaV2Library: IDENTICAL_ADDRESSES')
    expect(await revertOf(q('getAmountsOut', [E18, [A, zeroAddress]]))).toBe('SobaV2Library: ZERO_ADDRESS')
  })
})
