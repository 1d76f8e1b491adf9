import { FeeOnTransferToken, HoneypotToken, SobaFactory, SobaRouter } from '@soba/contracts'
import { type Abi, type Address, encodeDeployData } from 'viem'
import { encodeCall, readContract } from '../../chain/tx.js'
import { seededRandom } from '../random.js'
import {
  type ActorContext,
  actorAddress,
  approveCall,
  feeTokenSellCall,
  fundActor,
  type LivePool,
  type PlantedActor,
  send,
  sendAndWait,
  swapCall,
} from './actor.js'

export interface TokenVariant {
  variant: string
  honeypot: boolean
  /** HoneypotToken taxes and blocking, or a fee-on-transfer token's fee. */
  kind: 'honeypot-token' | 'fee-on-transfer'
  buyTaxBps: number
  sellTaxBps: number
  sellsBlocked: boolean
}

/** Traps (sells revert, or keep under half) and legitimate taxed tokens the check must pass. */
export const VARIANTS: TokenVariant[] = [
  {
    variant: 'sells-blocked',
    honeypot: true,
    kind: 'honeypot-token',
    buyTaxBps: 0,
    sellTaxBps: 0,
    sellsBlocked: true,
  },
  {
    variant: 'sells-blocked-buy-tax',
    honeypot: true,
    kind: 'honeypot-token',
    buyTaxBps: 500,
    sellTaxBps: 0,
    sellsBlocked: true,
  },
  {
    variant: 'sell-tax-99',
    honeypot: true,
    kind: 'honeypot-token',
    buyTaxBps: 0,
    sellTaxBps: 9_900,
    sellsBlocked: false,
  },
  {
    variant: 'sell-tax-75',
    honeypot: true,
    kind: 'honeypot-token',
    buyTaxBps: 100,
    sellTaxBps: 7_500,
    sellsBlocked: false,
  },
  {
    variant: 'taxed-3-5',
    honeypot: false,
    kind: 'honeypot-token',
    buyTaxBps: 300,
    sellTaxBps: 500,
    sellsBlocked: false,
  },
  {
    variant: 'taxed-10',
    honeypot: false,
    kind: 'honeypot-token',
    buyTaxBps: 1_000,
    sellTaxBps: 1_000,
    sellsBlocked: false,
  },
  {
    variant: 'fee-on-transfer-2',
    honeypot: false,
    kind: 'fee-on-transfer',
    buyTaxBps: 200,
    sellTaxBps: 200,
    sellsBlocked: false,
  },
  {
    variant: 'untaxed',
    honeypot: false,
    kind: 'honeypot-token',
    buyTaxBps: 0,
    sellTaxBps: 0,
    sellsBlocked: false,
  },
]

const SUPPLY = 10n ** 27n
const LIQUIDITY_TOKENS = 10n ** 26n
const LIQUIDITY_WETH = 50n * 10n ** 18n

/**
 * Deploys one token of `variant` from `deployer`, pairs it with WETH and tells it its pool.
 * Returns the token and pool addresses.
 */
export async function launchToken(
  context: Pick<ActorContext, 'rpc' | 'router' | 'factory' | 'weth'>,
  deployer: Address,
  variant: TokenVariant,
  symbol: string,
): Promise<{ token: Address; pool: Address }> {
  const { rpc, router, factory, weth } = context
  const data =
    variant.kind === 'fee-on-transfer'
      ? encodeDeployData({
          abi: FeeOnTransferToken.abi as Abi,
          bytecode: FeeOnTransferToken.bytecode,
          args: [symbol, symbol, BigInt(variant.sellTaxBps)],
        })
      : encodeDeployData({
          abi: HoneypotToken.abi as Abi,
          bytecode: HoneypotToken.bytecode,
          args: [symbol, symbol, BigInt(variant.buyTaxBps), BigInt(variant.sellTaxBps), variant.sellsBlocked],
        })
  const token = (await sendAndWait(rpc, deployer, undefined, data)).contractAddress?.toLowerCase() as Address
  const abi = (variant.kind === 'fee-on-transfer' ? FeeOnTransferToken.abi : HoneypotToken.abi) as Abi
  await sendAndWait(rpc, deployer, token, encodeCall(abi, 'mint', [deployer, SUPPLY]))
  await sendAndWait(rpc, deployer, token, approveCall(router))
  await sendAndWait(rpc, deployer, weth, approveCall(router))
  const add = encodeCall(SobaRouter.abi as Abi, 'addLiquidity', [
    token,
    weth,
    LIQUIDITY_TOKENS,
    LIQUIDITY_WETH,
    0n,
    0n,
    deployer,
    2n ** 64n,
  ])
  await sendAndWait(rpc, deployer, router, add)
  const pool = (
    await readContract<Address>(rpc, factory, SobaFactory.abi as Abi, 'getPair', [token, weth])
  ).toLowerCase() as Address
  if (variant.kind === 'honeypot-token')
    await sendAndWait(rpc, deployer, token, encodeCall(abi, 'setPair', [pool]))
  return { token, pool }
}

/**
 * Launches every variant from one deployer (a fresh address the treasury funds with WETH), then
 * each tick lets a noise trader buy one of the new tokens now and then, and the deployer sell
 * (exempt) into the buyers: the flow a honeypot's victims leave on chain.
 */
export class HoneypotLauncher implements PlantedActor {
  readonly name = 'honeypot'
  private readonly random: () => number
  private readonly deployer: Address
  private launched: Array<{ token: Address; pool: Address; variant: TokenVariant }> = []

  constructor(private readonly context: ActorContext) {
    this.random = seededRandom(context.seed ^ 0x40e7)
    this.deployer = actorAddress(context.seed, 'honeypot-deployer')
  }

  async setup(): Promise<void> {
    const { context } = this
    await fundActor(
      context,
      context.treasury,
      this.deployer,
      [{ address: context.weth, amount: 450n * 10n ** 18n }],
      10n ** 19n,
    )
    for (const [i, variant] of VARIANTS.entries()) {
      const { token, pool } = await launchToken(
        context,
        this.deployer,
        variant,
        `T${context.seed % 1000}X${i}`,
      )
      this.launched.push({ token, pool, variant })
      context.labels.record({
        kind: 'token',
        address: token,
        honeypot: variant.honeypot,
        variant: variant.variant,
      })
    }
    for (const trader of context.traders) {
      for (const { token } of this.launched)
        await sendAndWait(context.rpc, trader, token, approveCall(context.router))
    }
  }

  async tick(_pools: LivePool[]): Promise<void> {
    if (this.launched.length === 0 || this.random() > 0.3) return
    const target = this.launched[
      Math.floor(this.random() * this.launched.length)
    ] as (typeof this.launched)[number]
    const trader = this.context.traders[Math.floor(this.random() * this.context.traders.length)] as Address
    const amount = BigInt(Math.floor((0.01 + this.random() * 0.2) * 1e18))
    await send(
      this.context.rpc,
      trader,
      this.context.router,
      swapCall(amount, 0n, [this.context.weth, target.token], trader),
    )
    if (!target.variant.honeypot && this.random() < 0.5) {
      // Holders of legitimate taxed tokens can sell; they do now and then.
      const sell = amount * 1_000n
      await send(
        this.context.rpc,
        trader,
        this.context.router,
        feeTokenSellCall(sell, [target.token, this.context.weth], trader),
      )
    }
  }

  async settle(): Promise<void> {}
}
