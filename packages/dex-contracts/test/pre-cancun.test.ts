// The `paris` build, for chains without Cancun: the default build's pair keeps its lock in
// transient storage (TLOAD/TSTORE), which such chains do not have; the paris build swaps in a
// storage lock and targets the Paris EVM (no PUSH0, no MCOPY). Proved on EDR chains run at
// the older hardforks.
import {
  type Abi,
  type Address,
  createPublicClient,
  createWalletClient,
  custom,
  encodeFunctionData,
} from 'viem'
import { describe, expect, it } from 'vitest'
import { createEdrChain, RpcError } from '../src/chain/edr.js'
import { deploySoba, type SobaBuild, sobaBuilds } from '../src/deploy.js'
import { pairAddress } from '../src/pair-address.js'
import { replayOnBoth } from './differential.js'
import { mulberry32 } from './fixture.js'
import { createMarket, type Op, randomOp, seedLiquidity } from './market.js'

const SEED = Number(process.env.DIFF_SEED ?? 404)

describe('chains without Cancun', () => {
  it('halt the default build’s pair at its lock (TLOAD is not activated), and run the paris build’s', async () => {
    const chain = await createEdrChain({ hardfork: 'Shanghai', accounts: 1 })
    const transport = custom(chain)
    const publicClient = createPublicClient({ transport })
    const wallet = createWalletClient({ transport, account: chain.accounts[0]!.address })
    const { TestToken } = sobaBuilds.paris
    const deployToken = async (symbol: string) => {
      const hash = await wallet.deployContract({
        abi: TestToken.abi,
        bytecode: TestToken.bytecode,
        args: [symbol, symbol, 18, 0n],
        chain: null,
      })
      return (await publicClient.waitForTransactionReceipt({ hash })).contractAddress as Address
    }
    const [tokenA, tokenB] = [await deployToken('A'), await deployToken('B')]

    /** Deploys a build's exchange, creates the A/B pair, and calls its (locked) sync(). */
    async function syncNewPair(build: SobaBuild): Promise<unknown> {
      const { SobaFactory, SobaPair } = sobaBuilds[build]
      const soba = await deploySoba(chain, { build })
      const hash = await wallet.writeContract({
        address: soba.factory,
        abi: SobaFactory.abi as Abi,
        functionName: 'createPair',
        args: [tokenA, tokenB],
        chain: null,
      })
      expect((await publicClient.waitForTransactionReceipt({ hash })).status).toBe('success')
      const pair = pairAddress(soba.factory, tokenA, tokenB, soba.pairInitCodeHash)
      const data = encodeFunctionData({ abi: SobaPair.abi as Abi, functionName: 'sync' })
      try {
        return await chain.request({ method: 'eth_call', params: [{ to: pair, data }] })
      } catch (error) {
        return error instanceof RpcError ? error.message : error
      }
    }

    expect(await syncNewPair('cancun')).toBe('NotActivated')
    expect(await syncNewPair('paris')).toBe('0x') // sync() returns nothing
  })

  it('run the paris build exactly like Uniswap v2 on a Merge (Paris) chain', async () => {
    const options = { build: 'paris', hardfork: 'Merge' } as const
    const [soba, uniswap] = await Promise.all([
      createMarket('soba', options),
      createMarket('uniswap', options),
    ])
    const rand = mulberry32(SEED)
    const ops: Op[] = [{ kind: 'fee', on: true, dt: 1 }, ...seedLiquidity]
    for (let i = 0; i < 40; i++) ops.push(randomOp(rand))
    // The storage lock must stop re-entry as the transient one does.
    ops.push({
      kind: 'flash',
      user: 0,
      pool: 0,
      outPpm: [10_000n, 0n],
      repayDelta: [0n, 0n],
      reenter: true,
      dt: 1,
    })
    const outcomes = await replayOnBoth(soba, uniswap, ops, `paris build, replay: DIFF_SEED=${SEED}`)
    expect(outcomes.filter((o) => o.ok).length).toBeGreaterThan(ops.length / 2)
    expect(outcomes.at(-1)).toEqual({ ok: false, result: 'SobaV2: LOCKED' })
  })
})
