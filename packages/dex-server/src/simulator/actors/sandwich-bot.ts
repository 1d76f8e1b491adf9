import type { Address } from 'viem'
import { seededRandom } from '../random.js'
import {
  type ActorContext,
  actorAddress,
  amountOut,
  fundActor,
  type LivePool,
  type PlantedActor,
  send,
  sides,
  swapCall,
} from './actor.js'
import { PendingAttempts } from './pending.js'

/**
 * Picks a noise trader's large, loose-slippage swap and wraps it: a front-run in the same
 * direction with the highest tip, the victim's swap with a middle tip, and a back-run selling
 * exactly what the front-run bought with a lower tip, so the node orders them in one block.
 */
export class SandwichBot implements PlantedActor {
  readonly name = 'sandwich'
  private readonly random: () => number
  readonly bot: Address
  private readonly pending = new PendingAttempts<{
    hashes: Array<string | null>
    victim: Address
  }>()

  constructor(private readonly context: ActorContext) {
    this.random = seededRandom(context.seed ^ 0x5a9d)
    this.bot = actorAddress(context.seed, 'sandwich-bot')
  }

  async setup(): Promise<void> {
    const tokens = this.context.tokens.map((t) => ({
      address: t.address,
      amount: (10n ** BigInt(t.decimals) * 500_000n) / BigInt(Math.max(1, Math.round(t.usd))),
    }))
    await fundActor(this.context, this.context.treasury, this.bot, tokens)
  }

  async tick(pools: LivePool[]): Promise<void> {
    const known = new Set(this.context.tokens.map((t) => t.address.toLowerCase()))
    const candidates = pools.filter(
      (p) => known.has(p.token0) && known.has(p.token1) && p.r0 > 0n && p.r1 > 0n,
    )
    if (candidates.length === 0 || this.random() > 0.35) return
    const pool = candidates[Math.floor(this.random() * candidates.length)] as LivePool
    const victim = this.context.traders[Math.floor(this.random() * this.context.traders.length)] as Address
    const zeroForOne = this.random() < 0.5
    const [tokenIn, tokenOut] = zeroForOne ? [pool.token0, pool.token1] : [pool.token1, pool.token0]
    const [reserveIn, reserveOut] = sides(pool, tokenIn)
    const victimIn = (reserveIn * BigInt(150 + Math.floor(this.random() * 150))) / 10_000n
    const frontIn = (reserveIn * BigInt(50 + Math.floor(this.random() * 100))) / 10_000n
    // The front-run lands first in the block, so its output follows from the current reserves.
    const frontOut = amountOut(frontIn, reserveIn, reserveOut)
    if (frontOut === 0n) return
    const { rpc, router } = this.context
    const front = await send(rpc, this.bot, router, swapCall(frontIn, 0n, [tokenIn, tokenOut], this.bot), {
      tipGwei: 50,
    })
    const victimTx = await send(rpc, victim, router, swapCall(victimIn, 0n, [tokenIn, tokenOut], victim), {
      tipGwei: 20,
    })
    const back = await send(rpc, this.bot, router, swapCall(frontOut, 0n, [tokenOut, tokenIn], this.bot), {
      tipGwei: 10,
    })
    this.pending.add({ hashes: [front, victimTx, back], victim })
  }

  async settle(): Promise<void> {
    await this.pending.settle(this.context.rpc, (item, [front, victim, back]) => {
      const [f, v, b] = item.hashes as [string, string, string]
      if (!front || !victim || !back) return
      const oneBlock = front.block === victim.block && victim.block === back.block
      const ordered = front.index < victim.index && victim.index < back.index
      if (front.ok && victim.ok && back.ok && oneBlock && ordered) {
        this.context.labels.record({
          kind: 'sandwich',
          block: front.block,
          attacker: this.bot,
          victim: item.victim.toLowerCase(),
          front: f,
          victimTx: v,
          back: b,
        })
      }
    })
  }
}
