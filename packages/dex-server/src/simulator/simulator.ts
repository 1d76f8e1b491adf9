import { SobaPair, SobaRouter } from '@soba/contracts'
import { type Abi, type Address, maxUint256 } from 'viem'
import type { Eip1193 } from '../chain/rpc.js'
import type { SeedToken } from '../chain/seed.js'
import { encodeCall, readContract, sendTx } from '../chain/tx.js'
import { arbitrageTrade } from './arbitrageur.js'
import { noiseTrade } from './noise-trader.js'
import { seededRandom } from './random.js'
import { ReferencePath } from './reference.js'

export interface SimulatorPool {
  address: Address
  token0: Address
  token1: Address
}

export interface SimulatorLogger {
  info(details: object, message: string): void
  warn(details: object, message: string): void
}

export interface SimulatorOptions {
  rpc: Eip1193
  router: Address
  tokens: SeedToken[]
  /** The pools to trade (read each tick, so pools created later join in). */
  pools: () => SimulatorPool[]
  traders: Address[]
  arbitrageur: Address
  liquidityProviders: Address[]
  intervalMs: number
  tradesPerTick: number
  seed: number
  /** Reference path volatility per tick, as a fraction (see perTickVolatility for an annual figure). */
  volatility: number
  logger?: SimulatorLogger
}

/** What an arbitrage transaction costs, in USD (about 110k gas at 15 gwei and $3,000 ETH). */
const ARB_GAS_USD = 5
const LP_PROBABILITY = 0.15
const GAS = 500_000n

/**
 * Trades on the embedded chain with real transactions from dev accounts: noise traders swap at
 * random (log-normal sizes, some two-hop), an arbitrageur trades each pool back toward the
 * reference path when that pays for its gas, and liquidity providers add and remove liquidity now
 * and then. Transactions are sent without waiting, so each tick lands
 * in the next block.
 */
export class MarketSimulator {
  private readonly random: () => number
  private readonly reference: ReferencePath
  private readonly decimals = new Map<string, number>()
  private readonly approvedLp = new Set<string>()
  private timer: NodeJS.Timeout | null = null
  private ticking: Promise<void> | null = null
  readonly stats = { ticks: 0, sent: 0, failed: 0 }

  constructor(private readonly options: SimulatorOptions) {
    this.random = seededRandom(options.seed)
    this.reference = new ReferencePath(options.tokens, this.random, options.volatility)
    for (const t of options.tokens) this.decimals.set(t.address.toLowerCase(), t.decimals)
  }

  /** The reference USD price the arbitrageur steers toward. */
  referencePrice(token: string): number | undefined {
    return this.reference.price(token)
  }

  start(): void {
    if (this.timer) return
    this.timer = setInterval(() => {
      if (this.ticking) return // a slow tick is never overlapped
      this.ticking = this.tick()
        .catch((error) => this.options.logger?.warn({ err: error }, 'simulator: tick failed'))
        .finally(() => {
          this.ticking = null
        })
    }, this.options.intervalMs)
  }

  async stop(): Promise<void> {
    if (this.timer) clearInterval(this.timer)
    this.timer = null
    await this.ticking
  }

  /** One round: move the reference, arbitrage every pool, then noise trades and LP moves. */
  async tick(): Promise<void> {
    this.stats.ticks++
    this.reference.step()
    const pools = this.options
      .pools()
      .filter((p) => this.decimals.has(p.token0) && this.decimals.has(p.token1))
    const reserves = await Promise.all(
      pools.map((p) =>
        readContract<readonly [bigint, bigint, number]>(
          this.options.rpc,
          p.address,
          SobaPair.abi as Abi,
          'getReserves',
        ),
      ),
    )
    const live = pools.map((pool, i) => ({ pool, r0: reserves[i]?.[0] ?? 0n, r1: reserves[i]?.[1] ?? 0n }))
    const sends: Promise<void>[] = []
    for (const { pool, r0, r1 } of live) {
      const arb = this.arbitrage(pool, r0, r1)
      if (arb) sends.push(this.swap(this.options.arbitrageur, [arb.tokenIn, arb.tokenOut], arb.amountIn, 0n))
    }
    const noisePools = live.map(({ pool, r0, r1 }) => ({ token0: pool.token0, token1: pool.token1, r0, r1 }))
    for (let i = 0; i < this.options.tradesPerTick && live.length > 0; i++) {
      const trade = noiseTrade(this.random, noisePools, (token) => this.usdPerBaseUnit(token))
      if (!trade) continue
      const trader = this.pick(this.options.traders)
      sends.push(this.swap(trader, trade.path as Address[], trade.amountIn, (trade.expectedOut * 95n) / 100n))
    }
    if (live.length > 0 && this.options.liquidityProviders.length > 0 && this.random() < LP_PROBABILITY) {
      sends.push(this.moveLiquidity(this.pick(live), this.pick(this.options.liquidityProviders)))
    }
    await Promise.all(sends)
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T
  }

  /** The arbitrageur's trade on this pool against the reference, when it pays for its gas. */
  private arbitrage(pool: SimulatorPool, r0: bigint, r1: bigint) {
    const usd0 = this.reference.price(pool.token0)
    const usd1 = this.reference.price(pool.token1)
    if (usd0 === undefined || usd1 === undefined) return null
    const trade = arbitrageTrade(
      {
        reserve0: r0,
        reserve1: r1,
        decimals0: this.decimals.get(pool.token0) ?? 18,
        decimals1: this.decimals.get(pool.token1) ?? 18,
        usd0,
        usd1,
      },
      ARB_GAS_USD,
    )
    if (!trade) return null
    const [tokenIn, tokenOut] = trade.zeroForOne ? [pool.token0, pool.token1] : [pool.token1, pool.token0]
    return { tokenIn, tokenOut, amountIn: trade.amountIn }
  }

  private usdPerBaseUnit(token: string): number | undefined {
    const usd = this.reference.price(token)
    return usd === undefined ? undefined : usd / 10 ** (this.decimals.get(token.toLowerCase()) ?? 18)
  }

  private deadline(): bigint {
    return BigInt(Math.floor(Date.now() / 1000) + 3600)
  }

  private async send(from: Address, to: Address, data: `0x${string}`): Promise<void> {
    try {
      await sendTx(this.options.rpc, { from, to, data, gas: GAS })
      this.stats.sent++
    } catch {
      // A trade priced off a stale block may revert; the market carries on.
      this.stats.failed++
    }
  }

  private swap(from: Address, path: Address[], amountIn: bigint, minOut: bigint) {
    const data = encodeCall(SobaRouter.abi as Abi, 'swapExactTokensForTokens', [
      amountIn,
      minOut,
      path,
      from,
      this.deadline(),
    ])
    return this.send(from, this.options.router, data)
  }

  private async moveLiquidity(target: { pool: SimulatorPool; r0: bigint; r1: bigint }, provider: Address) {
    const { pool, r0, r1 } = target
    const balance = await readContract<bigint>(
      this.options.rpc,
      pool.address,
      SobaPair.abi as Abi,
      'balanceOf',
      [provider],
    )
    if (balance > 0n && this.random() < 0.4) {
      if (!this.approvedLp.has(`${provider}:${pool.address}`)) {
        await this.send(
          provider,
          pool.address,
          encodeCall(SobaPair.abi as Abi, 'approve', [this.options.router, maxUint256]),
        )
        this.approvedLp.add(`${provider}:${pool.address}`)
      }
      const liquidity = (balance * BigInt(20 + Math.floor(this.random() * 60))) / 100n
      const data = encodeCall(SobaRouter.abi as Abi, 'removeLiquidity', [
        pool.token0,
        pool.token1,
        liquidity,
        0n,
        0n,
        provider,
        this.deadline(),
      ])
      return this.send(provider, this.options.router, data)
    }
    const share = 0.002 + this.random() * 0.02
    const amount0 = BigInt(Math.floor(Number(r0) * share))
    const amount1 = r0 === 0n ? 0n : (amount0 * r1) / r0 + 1n
    if (amount0 === 0n || amount1 === 0n) return
    const data = encodeCall(SobaRouter.abi as Abi, 'addLiquidity', [
      pool.token0,
      pool.token1,
      amount0,
      amount1,
      (amount0 * 95n) / 100n,
      (amount1 * 95n) / 100n,
      provider,
      this.deadline(),
    ])
    return this.send(provider, this.options.router, data)
  }
}
