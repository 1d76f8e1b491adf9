// A small market on its own EDR chain, driven by random operations: the engine behind
// the property tests (invariants on Soba) and the differential tests (Soba against the
// original Uniswap v2 bytecode, same operations, same block timestamps).
//
// Tokens (by index): 0 A, 1 B, 2 C (plain), 3 F (1% fee on transfer), 4 WETH. Paths that
// start or end at WETH use the router's ETH functions; exact-in paths through F use the
// SupportingFeeOnTransferTokens variants. Everything is deployed in the same order on
// every chain, so token addresses (and so pair token order) match across chains. Besides
// router trades there are flash swaps (a FlashBorrower funded with every token) and
// EIP-2612 permits on the LP tokens, signed for each chain's own pair.
import {
  type Abi,
  type Address,
  BaseError,
  ContractFunctionRevertedError,
  createPublicClient,
  createWalletClient,
  custom,
  type Hex,
  maxUint256,
  parseSignature,
  zeroAddress,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createEdrChain } from '../src/chain/edr.js'
import { type Deployment, deploySoba, deployUniswapV2, type SobaBuild, sobaBuilds } from '../src/deploy.js'
import { SobaFactory, SobaPair, SobaRouter, TestToken } from '../src/generated/artifacts.js'
import { E18, randomBigInt } from './fixture.js'

// Uniswap's ABI is the same as ours; our ABIs drive both exchanges.
const routerAbi = SobaRouter.abi as Abi
const pairAbi = SobaPair.abi as Abi
const erc20Abi = TestToken.abi as Abi

/** Far-future genesis so every block time below is ours to set, on both chains alike. */
const GENESIS = 4_000_000_000n
const DEADLINE = 2n ** 60n
/** ETH sent with swapETHForExactTokens; the router refunds what it does not use. */
const ETH_BUDGET = 10n ** 27n
/** Each user's (and the flash borrower's) holding of every token: room for amounts past uint112. */
const HOLDING = 2n ** 120n

export const F = 3
export const WETH = 4
/** Pools by index, as token indexes. */
export const POOLS = [
  [0, 1],
  [1, 2],
  [0, WETH],
  [F, 0],
] as const
export const PATHS = [
  [0, 1],
  [1, 0],
  [1, 2],
  [2, 1],
  [0, 1, 2],
  [2, 1, 0],
  [WETH, 0],
  [0, WETH],
  [WETH, 0, 1],
  [1, 0, WETH],
  [F, 0],
  [0, F],
  [F, 0, 1],
  [WETH, 0, F],
  [F, 0, WETH],
]
export const USERS = 3

export type Op =
  | { kind: 'add'; user: number; pool: number; amountA: bigint; amountB: bigint; dt: number }
  | { kind: 'remove'; user: number; pool: number; fractionPpm: bigint; dt: number }
  | { kind: 'swapIn'; user: number; path: number[]; amountIn: bigint; dt: number }
  | { kind: 'swapOut'; user: number; path: number[]; amountOut: bigint; dt: number }
  | {
      kind: 'donate'
      user: number
      pool: number
      side: 0 | 1
      amount: bigint
      settle: 'sync' | 'skim'
      dt: number
    }
  | { kind: 'fee'; on: boolean; dt: number }
  | {
      /** FlashBorrower.flash: borrow a share of each reserve (ppm; past 1e6 asks for more than
       *  the pool holds), pay back the fee-inclusive amount plus `repayDelta` (per side), and
       *  optionally re-enter the pair from the callback. */
      kind: 'flash'
      user: number
      pool: number
      outPpm: [bigint, bigint]
      repayDelta: [bigint, bigint]
      reenter: boolean
      dt: number
    }
  | {
      /** EIP-2612 on the pool's LP token, sent to the pair by the spender or through the router's
       *  removeLiquidity…WithPermit; signed by the owner, another account, or for another value. */
      kind: 'permit'
      user: number
      pool: number
      via: 'pair' | 'router'
      spender: number
      /** On the pair: the permitted amount. Through the router: the share of the owner's LP
       *  to remove, in ppm (the permit is for that amount, or for all with `approveMax`). */
      value: bigint
      /** Deadline: `slack` seconds after the next block's time, or before the last block's when
       *  expired (never the boundary second, which a simulation and the mined block might see apart). */
      expired: boolean
      slack: number
      signer: 'owner' | 'other' | 'tampered'
      /** Send the same signature a second time (must fail: the nonce moved on). */
      replay: boolean
      approveMax: boolean
      dt: number
    }

export interface Outcome {
  ok: boolean
  /** Router return values, or the normalized revert reason. */
  result: unknown
}

export interface PoolState {
  reserve0: bigint
  reserve1: bigint
  balance0: bigint
  balance1: bigint
  totalSupply: bigint
  lp: bigint[] // users..., then address(0), then the fee recipient
  price0CumulativeLast: bigint
  price1CumulativeLast: bigint
  kLast: bigint
  blockTimestampLast: number
  nonces: bigint[] // per user
  allowances: bigint[] // per user: to the next user, then to the router
}

export interface State {
  pools: PoolState[]
  tokenBalances: bigint[][] // [user][token index], WETH included
  /** What the router holds of each token: it must never keep anything. */
  routerBalances: bigint[]
  borrowerBalances: bigint[]
}

export const poolHas = (pool: number, token: number) => (POOLS[pool] as readonly number[]).includes(token)
export const pathHas = (path: number[], token: number) => path.includes(token)

export type Market = Awaited<ReturnType<typeof createMarket>>

export interface MarketOptions {
  /** The Soba build to deploy, and whose tokens both exchanges trade (default `cancun`). */
  build?: SobaBuild
  /** EDR hardfork (default: the latest). */
  hardfork?: string
}

export async function createMarket(kind: 'soba' | 'uniswap', options: MarketOptions = {}) {
  const build = options.build ?? 'cancun'
  const { FeeOnTransferToken, FlashBorrower, TestToken: Token } = sobaBuilds[build]
  const chain = await createEdrChain({
    accounts: USERS + 1,
    genesisTimestamp: GENESIS,
    accountBalance: 2n ** 121n,
    hardfork: options.hardfork,
  })
  const transport = custom(chain, { retryCount: 0 })
  const publicClient = createPublicClient({ transport })
  const addresses = chain.accounts.map((a) => a.address)
  const admin = addresses[0]!
  const users = addresses.slice(1)
  const feeTo = admin
  let clock = GENESIS + 100_000n
  let lastMined = GENESIS // timestamp of the last block mined through mine()

  async function mine(
    from: Address,
    address: Address,
    abi: Abi,
    fn: string,
    args: readonly unknown[],
    value?: bigint,
  ) {
    await chain.request({ method: 'evm_setNextBlockTimestamp', params: [`0x${clock.toString(16)}`] })
    lastMined = clock
    clock += 1n
    const wallet = createWalletClient({ transport, account: from })
    const hash = await wallet.writeContract({ address, abi, functionName: fn, args, value, chain: null })
    const receipt = await publicClient.getTransactionReceipt({ hash })
    if (receipt.status !== 'success') throw new Error(`${fn} failed on chain`)
  }

  /** Simulates (for the return value or revert), then mines the call if it succeeds. */
  async function call(
    from: Address,
    address: Address,
    abi: Abi,
    fn: string,
    args: readonly unknown[],
    value?: bigint,
  ): Promise<Outcome> {
    let result: unknown
    try {
      ;({ result } = await publicClient.simulateContract({
        account: from,
        address,
        abi,
        functionName: fn,
        args,
        value,
      }))
    } catch (error) {
      return { ok: false, result: normalizeRevert(error) }
    }
    await mine(from, address, abi, fn, args, value)
    return { ok: true, result }
  }

  const deploy = async (abi: Abi, bytecode: `0x${string}`, args: readonly unknown[]) => {
    await chain.request({ method: 'evm_setNextBlockTimestamp', params: [`0x${clock.toString(16)}`] })
    lastMined = clock
    clock += 1n
    const hash = await createWalletClient({ transport, account: admin }).deployContract({
      abi,
      bytecode,
      args,
      chain: null,
    })
    return (await publicClient.getTransactionReceipt({ hash })).contractAddress!
  }
  // Tokens first, so both chains put them at the same addresses and sort them alike;
  // WETH comes next from the exchange deployment, at the same nonce on both chains.
  const plain = [] as Address[]
  for (const symbol of ['A', 'B', 'C'])
    plain.push(await deploy(erc20Abi, Token.bytecode, [symbol, symbol, 18, 0n]))
  const fot = await deploy(FeeOnTransferToken.abi as Abi, FeeOnTransferToken.bytecode, ['Fee', 'F', 100n])
  const deployment: Deployment =
    kind === 'soba' ? await deploySoba(chain, { build }) : await deployUniswapV2(chain)
  // The exchange's deployments took the next seconds on their own: carry on after them.
  lastMined = (await publicClient.getBlock()).timestamp
  clock = lastMined + 1n
  const tokens = [...plain, fot, deployment.weth]
  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    publicClient.readContract({ address, abi, functionName, args }) as Promise<T>

  for (const token of tokens.slice(0, WETH)) {
    for (const user of users) {
      await mine(admin, token, erc20Abi, 'mint', [user, HOLDING])
      await mine(user, token, erc20Abi, 'approve', [deployment.router, maxUint256])
    }
  }
  const pairs: Address[] = []
  const pairTokens: [Address, Address][] = [] // token0, token1 of each pair
  for (const [a, b] of POOLS) {
    await mine(admin, deployment.factory, SobaFactory.abi, 'createPair', [tokens[a], tokens[b]])
    const pair = await read<Address>(deployment.factory, SobaFactory.abi, 'getPair', [tokens[a], tokens[b]])
    pairs.push(pair)
    pairTokens.push([
      await read<Address>(pair, pairAbi, 'token0'),
      await read<Address>(pair, pairAbi, 'token1'),
    ])
    for (const user of users) await mine(user, pair, pairAbi, 'approve', [deployment.router, maxUint256])
  }
  // The borrower comes after the pairs, at the same address on every chain, holding every token.
  const borrower = await deploy(FlashBorrower.abi as Abi, FlashBorrower.bytecode, [])
  for (const token of tokens.slice(0, WETH)) await mine(admin, token, erc20Abi, 'mint', [borrower, HOLDING])
  await mine(admin, deployment.weth, wethAbi, 'deposit', [], 10n ** 33n)
  await mine(admin, deployment.weth, erc20Abi, 'transfer', [borrower, 10n ** 33n])

  const router = (user: Address, fn: string, args: readonly unknown[], value?: bigint) =>
    call(user, deployment.router, routerAbi, fn, args, value)

  const keyOf = (address: Address) => chain.accounts.find((a) => a.address === address)!.privateKey
  /** EIP-2612 signature over this chain's pair (its own name, address and chain id). */
  async function signPermit(pair: Address, signer: Address, message: PermitMessage) {
    const name = await read<string>(pair, pairAbi, 'name')
    const signature = await privateKeyToAccount(keyOf(signer)).signTypedData({
      domain: { name, version: '1', chainId: chain.chainId, verifyingContract: pair },
      types: { Permit: permitType },
      primaryType: 'Permit',
      message,
    })
    const { v, r, s } = parseSignature(signature)
    return { v: Number(v), r, s }
  }

  async function permit(op: Extract<Op, { kind: 'permit' }>, owner: Address): Promise<Outcome> {
    const pair = pairs[op.pool]!
    const [a, b] = POOLS[op.pool]!
    const spender = op.via === 'router' ? deployment.router : users[op.spender % users.length]!
    const held = await read<bigint>(pair, pairAbi, 'balanceOf', [owner])
    const liquidity = (held * (op.value % 1_000_001n)) / 1_000_000n // router: a share of the holding
    const value = op.via === 'router' ? (op.approveMax ? maxUint256 : liquidity) : op.value
    const deadline = op.expired ? lastMined - 1n - BigInt(op.slack) : clock + BigInt(op.slack)
    const nonce = await read<bigint>(pair, pairAbi, 'nonces', [owner])
    const signer = op.signer === 'other' ? users[(op.user + 1) % users.length]! : owner
    const signed = { owner, spender, value: op.signer === 'tampered' ? value ^ 1n : value, nonce, deadline }
    const { v, r, s } = await signPermit(pair, signer, signed)
    const send = () => {
      if (op.via === 'pair')
        return call(spender, pair, pairAbi, 'permit', [owner, spender, value, deadline, v, r, s])
      const tail = [0n, 0n, owner, deadline, op.approveMax, v, r, s]
      if (b === WETH) return router(owner, 'removeLiquidityETHWithPermit', [tokens[a], liquidity, ...tail])
      return router(owner, 'removeLiquidityWithPermit', [tokens[a], tokens[b], liquidity, ...tail])
    }
    const first = await send()
    if (!op.replay) return first
    const second = await send()
    return { ok: first.ok && second.ok, result: [first, second] }
  }

  function flash(op: Extract<Op, { kind: 'flash' }>, user: Address, reserves: readonly [bigint, bigint]) {
    const out = [0, 1].map((side) => (reserves[side]! * op.outPpm[side]!) / 1_000_000n)
    // What a flash loan owes at the 0.30% fee: out * 1000 / 997, rounded up; then the op's delta.
    const repay = [0, 1].map((side) => {
      const owed = out[side]! === 0n ? 0n : (out[side]! * 1000n + 996n) / 997n
      const total = owed + op.repayDelta[side]!
      return total > 0n ? total : 0n
    })
    return call(user, borrower, FlashBorrower.abi as Abi, 'flash', [
      pairs[op.pool]!,
      out[0]!,
      out[1]!,
      repay[0]!,
      repay[1]!,
      op.reenter,
    ])
  }

  async function apply(op: Op): Promise<Outcome> {
    clock += BigInt(op.dt)
    const user = 'user' in op ? users[op.user % users.length]! : admin
    switch (op.kind) {
      case 'add': {
        const [a, b] = POOLS[op.pool]!
        if (b === WETH) {
          return router(user, 'addLiquidityETH', [tokens[a], op.amountA, 0n, 0n, user, DEADLINE], op.amountB)
        }
        return router(user, 'addLiquidity', [
          tokens[a],
          tokens[b],
          op.amountA,
          op.amountB,
          0n,
          0n,
          user,
          DEADLINE,
        ])
      }
      case 'remove': {
        const [a, b] = POOLS[op.pool]!
        const held = await read<bigint>(pairs[op.pool]!, pairAbi, 'balanceOf', [user])
        const liquidity = (held * op.fractionPpm) / 1_000_000n
        if (b === WETH)
          return router(user, 'removeLiquidityETH', [tokens[a], liquidity, 0n, 0n, user, DEADLINE])
        return router(user, 'removeLiquidity', [tokens[a], tokens[b], liquidity, 0n, 0n, user, DEADLINE])
      }
      case 'swapIn': {
        const path = op.path.map((i) => tokens[i]!)
        const supporting = pathHas(op.path, F) ? 'SupportingFeeOnTransferTokens' : ''
        if (op.path[0] === WETH) {
          return router(user, `swapExactETHForTokens${supporting}`, [0n, path, user, DEADLINE], op.amountIn)
        }
        const fn = op.path.at(-1) === WETH ? 'swapExactTokensForETH' : 'swapExactTokensForTokens'
        return router(user, `${fn}${supporting}`, [op.amountIn, 0n, path, user, DEADLINE])
      }
      case 'swapOut': {
        const path = op.path.map((i) => tokens[i]!)
        if (op.path[0] === WETH) {
          return router(user, 'swapETHForExactTokens', [op.amountOut, path, user, DEADLINE], ETH_BUDGET)
        }
        const fn = op.path.at(-1) === WETH ? 'swapTokensForExactETH' : 'swapTokensForExactTokens'
        return router(user, fn, [op.amountOut, maxUint256, path, user, DEADLINE])
      }
      case 'donate': {
        const pair = pairs[op.pool]!
        const [a, b] = POOLS[op.pool]!
        const token = op.side === 0 ? a : b
        if (token === WETH) return { ok: false, result: 'no WETH donations' } // users hold no WETH
        const sent = await call(user, tokens[token]!, erc20Abi, 'transfer', [pair, op.amount])
        if (!sent.ok) return sent
        return call(user, pair, pairAbi, op.settle, op.settle === 'skim' ? [user] : [])
      }
      case 'fee':
        return call(admin, deployment.factory, SobaFactory.abi, 'setFeeTo', [op.on ? feeTo : zeroAddress])
      case 'flash': {
        const [reserve0, reserve1] = await read<[bigint, bigint, number]>(
          pairs[op.pool]!,
          pairAbi,
          'getReserves',
        )
        return flash(op, user, [reserve0, reserve1])
      }
      case 'permit':
        return permit(op, user)
    }
  }

  async function state(): Promise<State> {
    const pools: PoolState[] = []
    for (const [i, pair] of pairs.entries()) {
      const [reserve0, reserve1, blockTimestampLast] = await read<[bigint, bigint, number]>(
        pair,
        pairAbi,
        'getReserves',
      )
      const [t0, t1] = pairTokens[i]!
      pools.push({
        reserve0,
        reserve1,
        balance0: await read<bigint>(t0, erc20Abi, 'balanceOf', [pair]),
        balance1: await read<bigint>(t1, erc20Abi, 'balanceOf', [pair]),
        totalSupply: await read<bigint>(pair, pairAbi, 'totalSupply'),
        lp: await Promise.all(
          [...users, zeroAddress, feeTo].map((who) => read<bigint>(pair, pairAbi, 'balanceOf', [who])),
        ),
        price0CumulativeLast: await read<bigint>(pair, pairAbi, 'price0CumulativeLast'),
        price1CumulativeLast: await read<bigint>(pair, pairAbi, 'price1CumulativeLast'),
        kLast: await read<bigint>(pair, pairAbi, 'kLast'),
        blockTimestampLast,
        nonces: await Promise.all(users.map((who) => read<bigint>(pair, pairAbi, 'nonces', [who]))),
        allowances: await Promise.all(
          users.flatMap((who, i) => [
            read<bigint>(pair, pairAbi, 'allowance', [who, users[(i + 1) % users.length]!]),
            read<bigint>(pair, pairAbi, 'allowance', [who, deployment.router]),
          ]),
        ),
      })
    }
    const balancesOf = (who: Address) =>
      Promise.all(tokens.map((token) => read<bigint>(token, erc20Abi, 'balanceOf', [who])))
    return {
      pools,
      tokenBalances: await Promise.all(users.map(balancesOf)),
      routerBalances: [
        ...(await balancesOf(deployment.router)),
        await publicClient.getBalance({ address: deployment.router }),
      ],
      borrowerBalances: await balancesOf(borrower),
    }
  }

  // Property runs start every sequence from the market as set up here.
  const snapshot = async () => (await chain.request({ method: 'evm_snapshot' })) as Hex
  let base = await snapshot()
  const [baseClock, baseLastMined] = [clock, lastMined]
  async function reset(): Promise<void> {
    if ((await chain.request({ method: 'evm_revert', params: [base] })) !== true)
      throw new Error('evm_revert failed')
    base = await snapshot()
    ;[clock, lastMined] = [baseClock, baseLastMined]
  }

  return { kind, chain, deployment, tokens, pairs, users, borrower, apply, state, reset }
}

const wethAbi = [
  { type: 'function', name: 'deposit', inputs: [], outputs: [], stateMutability: 'payable' },
] as const satisfies Abi

const permitType = [
  { name: 'owner', type: 'address' },
  { name: 'spender', type: 'address' },
  { name: 'value', type: 'uint256' },
  { name: 'nonce', type: 'uint256' },
  { name: 'deadline', type: 'uint256' },
] as const
interface PermitMessage {
  owner: Address
  spender: Address
  value: bigint
  nonce: bigint
  deadline: bigint
}

/** Revert reasons with the brand taken out: Uniswap's SafeMath messages become the
 *  panics that Solidity 0.8 checked arithmetic raises for the same conditions. */
export function normalizeRevert(error: unknown): string {
  if (error instanceof BaseError) {
    const revert = error.walk((e) => e instanceof ContractFunctionRevertedError)
    if (revert instanceof ContractFunctionRevertedError) {
      if (revert.data?.errorName === 'Panic') return 'arithmetic'
      const reason = revert.reason ?? 'no reason'
      if (reason.startsWith('ds-math-')) return 'arithmetic'
      return reason.replace('UniswapV2', 'SobaV2')
    }
    // Uniswap's 0.5/0.6 code divides by zero with an invalid opcode, which carries no data.
    if (/invalid opcode|reverted for an unknown reason|without a reason/i.test(error.message))
      return 'arithmetic'
  }
  throw error
}

/** A random operation; amounts span tiny (rounding edge cases) to large. */
export function randomOp(rand: () => number): Op {
  const dt = 1 + Math.floor(rand() * 600)
  const user = Math.floor(rand() * USERS)
  const pool = Math.floor(rand() * POOLS.length)
  const amount = () => {
    if (rand() < 0.1) return randomBigInt(rand, 1n, 10_000n)
    const exponent = BigInt(12 + Math.floor(rand() * 12)) // 1e12 .. 1e23 wei
    return randomBigInt(rand, 1n, 10n ** exponent)
  }
  const roll = rand()
  const path = PATHS[Math.floor(rand() * PATHS.length)]!
  if (roll < 0.2) return { kind: 'add', user, pool, amountA: amount(), amountB: amount(), dt }
  if (roll < 0.32) return { kind: 'remove', user, pool, fractionPpm: randomBigInt(rand, 0n, 1_000_000n), dt }
  if (roll < 0.65) return { kind: 'swapIn', user, path, amountIn: amount(), dt }
  if (roll < 0.88) return { kind: 'swapOut', user, path, amountOut: amount(), dt }
  if (roll < 0.96) {
    const side = rand() < 0.5 ? 0 : 1
    const settle = rand() < 0.5 ? 'sync' : 'skim'
    return { kind: 'donate', user, pool, side, amount: amount(), settle, dt }
  }
  return { kind: 'fee', on: rand() < 0.6, dt }
}

/** First deposits into every pool, so random trades have prices to trade at. */
export const seedLiquidity: Op[] = [
  { kind: 'add', user: 0, pool: 0, amountA: 1_000n * E18, amountB: 3_000n * E18, dt: 1 },
  { kind: 'add', user: 1, pool: 1, amountA: 2_000n * E18, amountB: 500n * E18, dt: 1 },
  { kind: 'add', user: 2, pool: 2, amountA: 4_000n * E18, amountB: 2n * E18, dt: 1 },
  { kind: 'add', user: 0, pool: 3, amountA: 1_500n * E18, amountB: 1_500n * E18, dt: 1 },
]
