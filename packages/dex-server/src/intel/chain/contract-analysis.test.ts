import { Erc1967Proxy, SobaFactory, TestToken } from '@soba/contracts'
import { type Abi, type Address, encodeDeployData } from 'viem'
import { beforeAll, describe, expect, it } from 'vitest'
import { seededTestChain } from '../../chain/test-chain.js'
import { readContract } from '../../chain/tx.js'
import { actorAddress, fundActor } from '../../simulator/actors/actor.js'
import { launchToken, VARIANTS } from '../../simulator/actors/honeypot-launcher.js'
import { discardLabels } from '../../simulator/actors/labels.js'
import { analyzeContract } from './contract-analysis.js'
import { lookupSelector } from './signatures.js'

let setup: Awaited<ReturnType<typeof seededTestChain>>
let context: Parameters<typeof fundActor>[0]
const deployer = actorAddress(1, 'test-deployer')

async function wethPoolOf(token: Address) {
  const { chain, market } = setup
  const weth = market.deployment.weth
  const pool = (await readContract<Address>(
    chain,
    market.deployment.factory,
    SobaFactory.abi as Abi,
    'getPair',
    [token, weth],
  )) as Address
  if (/^0x0+$/.test(pool)) return null
  const [r0, r1] = await readContract<[bigint, bigint]>(
    chain,
    pool,
    [
      {
        type: 'function',
        name: 'getReserves',
        inputs: [],
        outputs: [{ type: 'uint112' }, { type: 'uint112' }, { type: 'uint32' }],
        stateMutability: 'view',
      },
    ] as Abi,
    'getReserves',
  )
  return { pool, wethReserve: BigInt(weth) < BigInt(token) ? r0 : r1 }
}

const analyze = async (address: Address) =>
  analyzeContract(setup.chain, address, { weth: setup.market.deployment.weth, wethPool: () => null })

beforeAll(async () => {
  setup = await seededTestChain()
  const { deployment, tokens } = setup.market
  context = {
    rpc: setup.chain,
    router: deployment.router,
    factory: deployment.factory,
    weth: deployment.weth,
    tokens,
    traders: [],
    treasury: setup.accounts[0] as Address,
    labels: discardLabels,
    seed: 1,
  }
  await fundActor(
    context,
    context.treasury,
    deployer,
    [{ address: deployment.weth, amount: 500n * 10n ** 18n }],
    10n ** 19n,
  )
}, 60_000)

describe('contract analysis', () => {
  it('tells every honeypot variant from the legitimate taxed tokens by simulating a buy then a sell', async () => {
    for (const [i, variant] of VARIANTS.entries()) {
      const { token } = await launchToken(context, deployer, variant, `V${i}`)
      const pool = await wethPoolOf(token)
      const analysis = await analyzeContract(setup.chain, token, { weth: context.weth, wethPool: () => pool })
      expect(analysis.honeypot?.honeypot, variant.variant).toBe(variant.honeypot)
      if (variant.sellsBlocked) expect(analysis.honeypot?.reason).toBe('sell_reverts')
      else {
        // Effective taxes come out within a few basis points of the configured ones.
        expect(
          Math.abs((analysis.honeypot?.sellTaxBps ?? -1) - variant.sellTaxBps),
          variant.variant,
        ).toBeLessThanOrEqual(60)
        expect(
          Math.abs((analysis.honeypot?.buyTaxBps ?? -1) - variant.buyTaxBps),
          variant.variant,
        ).toBeLessThanOrEqual(10)
      }
      expect(analysis.erc20).toMatchObject({ symbol: `V${i}`, decimals: 18 })
    }
  }, 120_000)

  it('recovers the ERC-20 selectors of a token and sees through an EIP-1967 proxy to them', async () => {
    const token = setup.market.tokens.find((t) => t.symbol === 'USDC')?.address as Address
    const direct = await analyze(token)
    const signatures = direct.functions.map((f) => f.signature)
    for (const expected of [
      'transfer(address,uint256)',
      'approve(address,uint256)',
      'balanceOf(address)',
      'mint(address,uint256)',
    ])
      expect(signatures).toContain(expected)
    expect(direct.proxy).toBeNull()
    expect(direct.honeypotSkipped).toBe('no_weth_pool')

    const data = encodeDeployData({
      abi: Erc1967Proxy.abi as Abi,
      bytecode: Erc1967Proxy.bytecode,
      args: [token],
    })
    const { sendAndWait } = await import('../../simulator/actors/actor.js')
    const proxy = (await sendAndWait(setup.chain, context.treasury, undefined, data))
      .contractAddress as Address
    const viaProxy = await analyze(proxy)
    expect(viaProxy.proxy).toEqual({ kind: 'eip1967', implementation: token.toLowerCase() })
    expect(viaProxy.functions.map((f) => f.selector)).toEqual(direct.functions.map((f) => f.selector))
  })

  it('reports an account without code as not a contract, and unknown selectors without a signature', async () => {
    const eoa = await analyze(setup.accounts[3] as Address)
    expect(eoa).toMatchObject({ isContract: false, functions: [], erc20: null })
    expect(lookupSelector('0xdeadbeef')).toEqual({ selector: '0xdeadbeef', signature: null, abi: null })
    expect(TestToken.abi.length).toBeGreaterThan(0)
  })
})
