import { WETH9 } from '@soba/contracts'
import type { Abi, Address } from 'viem'
import { encodeCall } from '../../chain/tx.js'
import { seededRandom } from '../random.js'
import {
  type ActorContext,
  actorAddress,
  amountOut,
  fundActor,
  type LivePool,
  type PlantedActor,
  send,
  sendAndWait,
  sides,
  swapCall,
} from './actor.js'
import { PendingAttempts } from './pending.js'

/** Boosters per run: each bursts once in the evaluation's 300 ticks, so each is one labelled case. */
const BOOSTERS = 4
const GAS_ETH = 5n * 10n ** 18n
/** Actor ticks before the first burst: the pools need a history to be abnormal against. */
const FIRST_BURST_TICK = 210
/** Ticks between two boosters' bursts (the last starts at tick 270 and ends by 278)… */
const STAGGER_TICKS = 20
/** …and between one booster's bursts. */
const BURST_EVERY_TICKS = 200
/** A burst lasts this many ticks (one block each in the evaluation). */
const BURST_TICKS = 8
/** Each burst tick buys 6–9% of the input reserve… */
const BUY_BPS_MIN = 600
const BUY_BPS_SPAN = 300
/** …and sells back 115% of what it bought: never the 90–110% of a sandwich's back-run, never the same amount of a wash round trip. */
const SELL_BACK_PERCENT = 115n

/**
 * Abnormal volume, planted with labels: a volume booster (the bot a token team hires to put a
 * pool on "trending" lists) that now and then trades one pool for a few blocks at many times
 * its usual volume. Each block it buys, then sells back a little more than it bought, and it
 * alternates the side it starts from, so its position and the pool price end near where they
 * started and the arbitrageur barely reacts: the volume is the booster's own.
 */
export class VolumeBooster implements PlantedActor {
  readonly name = 'volume'
  private readonly random: () => number
  readonly boosters: Address[]
  private readonly bursts = new Map<Address, { pool: Address; ticksLeft: number }>()
  private readonly labelled = new Set<Address>()
  private readonly pending = new PendingAttempts<{ hashes: Array<string | null>; booster: Address }>()
  private turn = 0

  constructor(private readonly context: ActorContext) {
    this.random = seededRandom(context.seed ^ 0x70b5)
    this.boosters = Array.from({ length: BOOSTERS }, (_, i) =>
      actorAddress(context.seed, `volume-booster-${i}`),
    )
  }

  async setup(): Promise<void> {
    const { context } = this
    const stake = context.tokens.map((t) => ({
      address: t.address,
      amount: (10n ** BigInt(t.decimals) * 400_000n) / BigInt(Math.max(1, Math.round(t.usd))),
    }))
    const weth = context.weth.toLowerCase()
    const wethStake = stake.find((t) => t.address.toLowerCase() === weth)?.amount ?? 0n
    for (const booster of this.boosters) {
      // The treasury's WETH went into the pools and the other actors: the booster wraps its own ETH.
      await fundActor(
        context,
        context.treasury,
        booster,
        stake.map((t) => (t.address.toLowerCase() === weth ? { ...t, amount: 0n } : t)),
        GAS_ETH + wethStake,
      )
      if (wethStake > 0n)
        await sendAndWait(
          context.rpc,
          booster,
          context.weth,
          encodeCall(WETH9.abi as Abi, 'deposit'),
          wethStake,
        )
    }
  }

  async tick(pools: LivePool[]): Promise<void> {
    this.turn++
    const known = new Set(this.context.tokens.map((t) => t.address.toLowerCase()))
    const live = pools.filter((p) => known.has(p.token0) && known.has(p.token1) && p.r0 > 0n && p.r1 > 0n)
    if (live.length === 0) return
    for (const [i, booster] of this.boosters.entries()) {
      const since = this.turn - FIRST_BURST_TICK - i * STAGGER_TICKS
      if (since >= 0 && since % BURST_EVERY_TICKS === 0 && !this.bursts.has(booster)) {
        const taken = new Set([...this.bursts.values()].map((b) => b.pool))
        const free = live.filter((p) => !taken.has(p.address))
        const pool = free[Math.floor(this.random() * free.length)]
        if (pool) this.bursts.set(booster, { pool: pool.address, ticksLeft: BURST_TICKS })
      }
      const burst = this.bursts.get(booster)
      if (!burst) continue
      const pool = live.find((p) => p.address === burst.pool)
      if (pool) await this.boost(booster, pool, burst.ticksLeft % 2 === 0)
      burst.ticksLeft--
      if (burst.ticksLeft === 0) this.bursts.delete(booster)
    }
  }

  /** Buys 6–9% of the input reserve and sells back 115% of the output, in one block. */
  private async boost(booster: Address, pool: LivePool, zeroForOne: boolean) {
    const { rpc, router } = this.context
    const [tokenIn, tokenOut] = zeroForOne ? [pool.token0, pool.token1] : [pool.token1, pool.token0]
    const [reserveIn, reserveOut] = sides(pool, tokenIn)
    const buyIn = (reserveIn * BigInt(BUY_BPS_MIN + Math.floor(this.random() * BUY_BPS_SPAN))) / 10_000n
    const bought = amountOut(buyIn, reserveIn, reserveOut)
    if (bought === 0n) return
    const buy = await send(rpc, booster, router, swapCall(buyIn, 0n, [tokenIn, tokenOut], booster))
    const sell = await send(
      rpc,
      booster,
      router,
      swapCall((bought * SELL_BACK_PERCENT) / 100n, 0n, [tokenOut, tokenIn], booster),
    )
    this.pending.add({ hashes: [buy, sell], booster })
  }

  async settle(): Promise<void> {
    await this.pending.settle(this.context.rpc, (item, landed) => {
      if (this.labelled.has(item.booster) || !landed.every((l) => l.ok)) return
      this.labelled.add(item.booster)
      this.context.labels.record({ kind: 'volume_booster', address: item.booster.toLowerCase() })
    })
  }
}
