import { type Address, decodeFunctionResult, encodeFunctionData, type Hex, hexToString, parseAbi } from 'viem'
import { afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest'
import {
  EthRejecter,
  FeeOnTransferToken,
  HostileToken,
  TestToken,
  WETH9,
} from '../src/generated/artifacts.js'
import { createFixture, E18, type Fixture, revertOf } from './fixture.js'

let f: Fixture
let snap: Hex
let alice: Address
let bob: Address

beforeAll(async () => {
  f = await createFixture()
  ;({ alice, bob } = f.accounts)
})
beforeEach(async () => {
  snap = await f.snapshot()
})
afterEach(async () => {
  await f.revertTo(snap)
})

describe('WETH9', () => {
  it('wraps and unwraps 1:1, and supply is the Ether it holds', async () => {
    const weth = f.soba.weth
    await f.send(weth, WETH9.abi, 'deposit', [], { value: 5n * E18 })
    const wallet = (await import('viem')).createWalletClient({
      transport: (await import('viem')).custom(f.chain),
      account: bob,
    })
    await wallet.sendTransaction({ to: weth, value: E18, chain: null }) // receive() deposits too
    expect(await f.read(weth, WETH9.abi, 'balanceOf', [bob])).toBe(E18)
    expect(await f.read(weth, WETH9.abi, 'totalSupply')).toBe(6n * E18)
    const before = await f.publicClient.getBalance({ address: bob })
    await f.send(weth, WETH9.abi, 'transfer', [bob, 2n * E18])
    const receipt = await f.send(weth, WETH9.abi, 'withdraw', [3n * E18], { from: bob })
    expect(
      (await f.publicClient.getBalance({ address: bob })) -
        before +
        receipt.gasUsed * receipt.effectiveGasPrice,
    ).toBe(3n * E18)
    expect(await f.read(weth, WETH9.abi, 'totalSupply')).toBe(3n * E18)
    expect(await revertOf(f.send(weth, WETH9.abi, 'withdraw', [1n], { from: bob }))).toBe(
      'WETH9: INSUFFICIENT_BALANCE',
    )
  })

  it('spends allowances, except an infinite one', async () => {
    const weth = f.soba.weth
    await f.send(weth, WETH9.abi, 'deposit', [], { value: 10n })
    await f.send(weth, WETH9.abi, 'approve', [bob, 4n])
    await f.send(weth, WETH9.abi, 'transferFrom', [alice, bob, 3n], { from: bob })
    expect(await f.read(weth, WETH9.abi, 'allowance', [alice, bob])).toBe(1n)
    expect(await revertOf(f.send(weth, WETH9.abi, 'transferFrom', [alice, bob, 2n], { from: bob }))).toBe(
      'WETH9: INSUFFICIENT_ALLOWANCE',
    )
    expect(await revertOf(f.send(weth, WETH9.abi, 'transfer', [bob, 8n]))).toBe('WETH9: INSUFFICIENT_BALANCE')
    await f.send(weth, WETH9.abi, 'approve', [bob, 2n ** 256n - 1n])
    await f.send(weth, WETH9.abi, 'transferFrom', [alice, bob, 7n], { from: bob })
    expect(await f.read(weth, WETH9.abi, 'allowance', [alice, bob])).toBe(2n ** 256n - 1n)
    expect(await f.read(weth, WETH9.abi, 'symbol')).toBe('WETH')
  })

  it('reverts a withdrawal to a contract that refuses Ether', async () => {
    const rejecter = await f.deploy(EthRejecter.abi, EthRejecter.bytecode)
    expect(
      await revertOf(f.send(rejecter, EthRejecter.abi, 'wrapAndUnwrap', [f.soba.weth], { value: 1n })),
    ).toBe('WETH9: ETH_TRANSFER_FAILED')
  })
})

describe('TestToken', () => {
  it('lets anyone use the faucet once per cooldown, and only the owner mint', async () => {
    const token = await f.deploy(TestToken.abi, TestToken.bytecode, [
      'USD Coin',
      'USDC',
      6,
      1000n * 10n ** 6n,
    ])
    expect(await f.read(token, TestToken.abi, 'decimals')).toBe(6)
    await f.send(token, TestToken.abi, 'faucet', [], { from: bob })
    expect(await f.read(token, TestToken.abi, 'balanceOf', [bob])).toBe(1000n * 10n ** 6n)
    expect(await revertOf(f.send(token, TestToken.abi, 'faucet', [], { from: bob }))).toBe(
      'TestToken: FAUCET_COOLDOWN',
    )
    await f.increaseTime(3600)
    await f.send(token, TestToken.abi, 'faucet', [], { from: bob })
    expect(await f.read(token, TestToken.abi, 'balanceOf', [bob])).toBe(2000n * 10n ** 6n)
    expect(await revertOf(f.send(token, TestToken.abi, 'mint', [bob, 1n], { from: bob }))).toBe(
      'TestToken: FORBIDDEN',
    )
    expect(await revertOf(f.send(token, TestToken.abi, 'transferOwnership', [bob], { from: bob }))).toBe(
      'TestToken: FORBIDDEN',
    )
    await f.send(token, TestToken.abi, 'transferOwnership', [bob])
    await f.send(token, TestToken.abi, 'mint', [alice, 5n], { from: bob })
    expect(await revertOf(f.send(token, TestToken.abi, 'transfer', [alice, 10n ** 12n], { from: bob }))).toBe(
      'ERC20: INSUFFICIENT_BALANCE',
    )
    expect(await revertOf(f.send(token, TestToken.abi, 'transferFrom', [bob, alice, 1n]))).toBe(
      'ERC20: INSUFFICIENT_ALLOWANCE',
    )
  })
})

describe('FeeOnTransferToken', () => {
  it('burns the fee from every transfer but not from mints', async () => {
    expect(
      await revertOf(f.deploy(FeeOnTransferToken.abi, FeeOnTransferToken.bytecode, ['F', 'F', 10_000n])),
    ).toBe('FeeOnTransferToken: FEE')
    const token = await f.deploy(FeeOnTransferToken.abi, FeeOnTransferToken.bytecode, ['F', 'F', 250n])
    await f.send(token, FeeOnTransferToken.abi, 'mint', [alice, 1000n])
    await f.send(token, FeeOnTransferToken.abi, 'transfer', [bob, 400n])
    expect(await f.read(token, FeeOnTransferToken.abi, 'balanceOf', [bob])).toBe(390n)
    expect(await f.read(token, FeeOnTransferToken.abi, 'totalSupply')).toBe(990n)
    expect(await revertOf(f.send(token, FeeOnTransferToken.abi, 'mint', [bob, 1n], { from: bob }))).toBe(
      'FeeOnTransferToken: FORBIDDEN',
    )
  })
})

describe('HostileToken', () => {
  const metadataAbi = parseAbi([
    'function name() view returns (string)',
    'function symbol() view returns (string)',
    'function decimals() view returns (uint8)',
  ])
  async function rawCall(token: Address, functionName: 'name' | 'symbol' | 'decimals', gas = 1_000_000n) {
    const data = encodeFunctionData({ abi: metadataAbi, functionName })
    return (await f.chain.request({
      method: 'eth_call',
      params: [{ to: token, data, gas: `0x${gas.toString(16)}` }, 'latest'],
    })) as Hex
  }
  const hostile = (mode: number) => f.deploy(HostileToken.abi, HostileToken.bytecode, [mode, 1000n * E18])

  it('still transfers like an ERC-20 in every mode', async () => {
    expect(await revertOf(hostile(5))).toBe('HostileToken: MODE')
    for (const mode of [0, 1, 2, 3, 4]) {
      const token = await hostile(mode)
      await f.send(token, HostileToken.abi, 'transfer', [bob, 5n])
      expect(await f.read(token, HostileToken.abi, 'balanceOf', [bob])).toBe(5n)
    }
  })

  it('mode 0 reverts on metadata', async () => {
    const token = await hostile(0)
    for (const fn of ['name', 'symbol'] as const) {
      await expect(rawCall(token, fn)).rejects.toThrow('execution reverted: HostileToken: NO_METADATA')
    }
    await expect(rawCall(token, 'decimals')).rejects.toThrow('execution reverted: HostileToken: NO_DECIMALS')
  })

  it('mode 1 answers bytes32 names and a decimals value no uint8 can hold', async () => {
    const token = await hostile(1)
    const name = await rawCall(token, 'name')
    expect(name.length).toBe(66)
    expect(hexToString(name, { size: 32 }).replace(/\0+$/, '')).toBe('HOSTILE')
    expect(() => decodeFunctionResult({ abi: metadataAbi, functionName: 'name', data: name })).toThrow()
    expect(BigInt(await rawCall(token, 'decimals'))).toBe(10n ** 30n)
  })

  it('mode 2 answers malformed ABI, invalid UTF-8 and empty data', async () => {
    const token = await hostile(2)
    expect(() => decodeFunctionResult({ abi: metadataAbi, functionName: 'name', data: '0x' })).toThrow()
    const name = await rawCall(token, 'name')
    expect(() => decodeFunctionResult({ abi: metadataAbi, functionName: 'name', data: name })).toThrow()
    const symbol = await rawCall(token, 'symbol')
    expect(symbol.slice(-64, -56)).toBe('fffefdfc')
    expect(await rawCall(token, 'decimals')).toBe('0x')
  })

  it('mode 3 burns all the gas it is given', async () => {
    const token = await hostile(3)
    await expect(rawCall(token, 'symbol', 200_000n)).rejects.toThrow(/gas/i)
  })

  it('mode 4 answers 100,000-byte strings', async () => {
    const token = await hostile(4)
    const name = decodeFunctionResult({
      abi: metadataAbi,
      functionName: 'name',
      data: await rawCall(token, 'name', 10_000_000n),
    })
    expect(name.length).toBe(100_000)
    expect(await f.read(token, HostileToken.abi, 'decimals')).toBe(255)
  })
})
