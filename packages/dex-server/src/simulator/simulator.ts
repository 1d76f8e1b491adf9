import { SobaPair, SobaRouter } from '@soba/contracts'
import { type Abi, type Address, maxUint256 } from 'viem'
import type { Eip1193 } from '../chain/rpc.js'
import type { SeedToken } from '../chain/seed.js'
import { encodeCall, readContract, sendTx } from '../chain/tx.js'
import type { PlantedActor } from './actors/actor.js'
import type { MeanRevertingReference } from './mean-reverting.js'
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
  /** Reference path volatility per tick, as a fraction (0.003 = 30 bps). */
  volatility: number
  /** The token whose reference mean-reverts (Ornstein–Uhlenbeck) instead of drifting. */
  meanReverting?: MeanRevertingReference
  logger?: SimulatorLogger
  /** Planted actors with ground-truth labels (intelligence evaluation); set up by setupActors(). */
  actors?: PlantedActor[]
}

/** Arbitrage only beyond this relative gap: inside the 0.3% fee band a round trip loses money. */
const ARB_THRESHOLD = 0.006
const MAX_TRADE_SHARE = 0.1
const LP_PROBABILITY = 0.15
const GAS = 500_000n

/**
 * Trades on the embedded chain with real transactions from dev accounts: noise traders swap at
 * random, an arbitrageur pulls each pool toward the reference path, and liquidity providers add
 * and remove liquidity now and then. Transactions are sent without waiting, so each tick lands
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
  private actorsReady = false

  constructor(private readonly options: SimulatorOptions) {
    this.random = seededRandom(options.seed)
    this.reference = new ReferencePath(options.tokens, this.random, options.volatility)
    for (const t of options.tokens) this.decimals.set(t.address.toLowerCase(), t.decimals)
  }

  /** The reference USD price the arbitrageur steers toward. */
  referencePrice(token: string): number | undefined {
    const meanReverting = this.options.meanReverting
    return meanReverting?.owns(token) ? meanReverting.price() : this.reference.price(token)
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
    this.options.meanReverting?.step()
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
    // Actors first: a sandwich victim's swap must take its trader's next nonce.
    for (const actor of this.actorsReady ? (this.options.actors ?? []) : []) {
      await actor.settle()
      await actor.tick(live.map(({ pool, r0, r1 }) => ({ ...pool, r0, r1 })))
    }
    const sends: Promise<void>[] = []
    for (const { pool, r0, r1 } of live) {
      const arb = this.arbitrage(pool, r0, r1)
      if (arb) sends.push(this.swap(this.options.arbitrageur, arb.tokenIn, arb.tokenOut, arb.amountIn, 0n))
    }
    for (let i = 0; i < this.options.tradesPerTick && live.length > 0; i++) {
      const { pool, r0, r1 } = this.pick(live)
      const zeroForOne = this.random() < 0.5
      const reserveIn = zeroForOne ? r0 : r1
      const reserveOut = zeroForOne ? r1 : r0
      const share = 0.0002 + this.random() ** 2 * 0.008
      const amountIn = BigInt(Math.floor(Number(reserveIn) * share))
      if (amountIn === 0n) continue
      const expected = (amountIn * 997n * reserveOut) / (reserveIn * 1000n + amountIn * 997n)
      const trader = this.pick(this.options.traders)
      const [tokenIn, tokenOut] = zeroForOne ? [pool.token0, pool.token1] : [pool.token1, pool.token0]
      sends.push(this.swap(trader, tokenIn, tokenOut, amountIn, (expected * 95n) / 100n))
    }
    if (live.length > 0 && this.options.liquidityProviders.length > 0 && this.random() < LP_PROBABILITY) {
      sends.push(this.moveLiquidity(this.pick(live), this.pick(this.options.liquidityProviders)))
    }
    await Promise.all(sends)
  }

  /** Deploys and funds the planted actors (needs blocks to be mined while it runs). */
  async setupActors(): Promise<void> {
    for (const actor of this.options.actors ?? []) await actor.setup()
    this.actorsReady = true
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.random() * items.length)] as T
  }

  /** The input that moves the pool's price onto the reference (constant product, after fee). */
  private arbitrage(pool: SimulatorPool, r0: bigint, r1: bigint) {
    const usd0 = this.referencePrice(pool.token0)
    const usd1 = this.referencePrice(pool.token1)
    if (usd0 === undefined || usd1 === undefined || r0 === 0n || r1 === 0n) return null
    const d0 = this.decimals.get(pool.token0) ?? 18
    const d1 = this.decimals.get(pool.token1) ?? 18
    const target = (usd0 / usd1) * 10 ** (d1 - d0) // token1 base units per token0 base unit
    const x = Number(r0)
    const y = Number(r1)
    const price = y / x
    if (Math.abs(price / target - 1) < ARB_THRESHOLD) return null
    const k = x * y
    if (price > target) {
      // token0 is dear in the pool: sell token0 until y/x = target
      const amount = Math.min((Math.sqrt(k / target) - x) / 0.997, x * MAX_TRADE_SHARE)
      return amount > 0
        ? { tokenIn: pool.token0, tokenOut: pool.token1, amountIn: BigInt(Math.floor(amount)) }
        : null
    }
    const amount = Math.min((Math.sqrt(k * target) - y) / 0.997, y * MAX_TRADE_SHARE)
    return amount > 0
      ? { tokenIn: pool.token1, tokenOut: pool.token0, amountIn: BigInt(Math.floor(amount)) }
      : null
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

  private swap(from: Address, tokenIn: Address, tokenOut: Address, amountIn: bigint, minOut: bigint) {
    const data = encodeCall(SobaRouter.abi as Abi, 'swapExactTokensForTokens', [
      amountIn,
      minOut,
      [tokenIn, tokenOut],
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
