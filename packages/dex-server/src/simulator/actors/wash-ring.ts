import type { Address } from 'viem'
import { readContract } from '../../chain/tx.js'
import { seededRandom } from '../random.js'
import {
  type ActorContext,
  actorAddress,
  fundActor,
  type LivePool,
  type PlantedActor,
  send,
  swapCall,
  transferCall,
} from './actor.js'

const erc20BalanceAbi = [
  {
    type: 'function',
    name: 'balanceOf',
    inputs: [{ type: 'address' }],
    outputs: [{ type: 'uint256' }],
    stateMutability: 'view',
  },
] as const

interface Group {
  name: string
  funder: Address
  members: Address[]
}

/**
 * Wash trading as Victor & Weintraud describe it on DEXes, planted with labels:
 * - rings: members funded by one funder buy a token, hand it to the next member, who sells
 *   exactly that amount back, rotating roles, so the group ends flat while printing volume;
 * - self-washers: one address buys and sells the same amount back, again and again.
 * And the look-alikes that must not be flagged:
 * - accumulators: a funded group that buys together in the same blocks and never sells;
 * - distributors: addresses that only sell.
 */
export class WashTraders implements PlantedActor {
  readonly name = 'wash'
  private readonly random: () => number
  private readonly rings: Group[] = []
  private readonly selfWashers: Address[] = []
  private readonly accumulators: Group
  private readonly distributors: Address[] = []
  /** A ring's round in flight: bought by `from`, to be handed to `to` and sold. */
  private rounds = new Map<
    string,
    {
      step: number
      from: Address
      to: Address
      pool: LivePool
      tokenIn: Address
      tokenOut: Address
      before: bigint
    }
  >()
  private selfRounds = new Map<
    Address,
    { pool: LivePool; tokenIn: Address; tokenOut: Address; before: bigint }
  >()
  private turn = 0

  constructor(private readonly context: ActorContext) {
    const { seed } = context
    this.random = seededRandom(seed ^ 0x3a51)
    const ringCount = 2 + (seed % 2)
    for (let r = 0; r < ringCount; r++) {
      const size = 3 + ((seed + r) % 2)
      this.rings.push({
        name: `ring-${r}`,
        funder: actorAddress(seed, `ring-${r}-funder`),
        members: Array.from({ length: size }, (_, i) => actorAddress(seed, `ring-${r}-member-${i}`)),
      })
    }
    for (let i = 0; i < 2; i++) this.selfWashers.push(actorAddress(seed, `self-washer-${i}`))
    this.accumulators = {
      name: 'accumulators',
      funder: actorAddress(seed, 'accumulator-funder'),
      members: Array.from({ length: 3 }, (_, i) => actorAddress(seed, `accumulator-${i}`)),
    }
    for (let i = 0; i < 2; i++) this.distributors.push(actorAddress(seed, `distributor-${i}`))
  }

  private stake() {
    return this.context.tokens.map((t) => ({
      address: t.address,
      amount: (10n ** BigInt(t.decimals) * 200_000n) / BigInt(Math.max(1, Math.round(t.usd))),
    }))
  }

  async setup(): Promise<void> {
    const { context } = this
    const half = (list: ReturnType<WashTraders['stake']>) =>
      list.map((t) => ({ ...t, amount: t.amount / 2n }))
    for (const group of [...this.rings, this.accumulators]) {
      await fundActor(context, context.treasury, group.funder, this.stake(), 10n ** 19n * 5n)
      for (const member of group.members)
        await fundActor(
          context,
          group.funder,
          member,
          half(this.stake()).map((t) => ({ ...t, amount: t.amount / BigInt(group.members.length) })),
        )
    }
    for (const address of [...this.selfWashers, ...this.distributors])
      await fundActor(context, context.treasury, address, this.stake())
    for (const ring of this.rings)
      for (const address of ring.members)
        context.labels.record({ kind: 'wash_trader', address: address.toLowerCase(), ring: ring.name })
    for (const address of this.selfWashers)
      context.labels.record({ kind: 'wash_trader', address: address.toLowerCase(), ring: 'self' })
    for (const address of this.accumulators.members)
      context.labels.record({ kind: 'clean_trader', address: address.toLowerCase(), role: 'accumulator' })
    for (const address of this.distributors)
      context.labels.record({ kind: 'clean_trader', address: address.toLowerCase(), role: 'distributor' })
  }

  private pickPool(pools: LivePool[]) {
    const known = new Set(this.context.tokens.map((t) => t.address.toLowerCase()))
    const live = pools.filter((p) => known.has(p.token0) && known.has(p.token1) && p.r0 > 0n && p.r1 > 0n)
    if (live.length === 0) return null
    const pool = live[Math.floor(this.random() * live.length)] as LivePool
    return this.random() < 0.5
      ? { pool, tokenIn: pool.token0, tokenOut: pool.token1 }
      : { pool, tokenIn: pool.token1, tokenOut: pool.token0 }
  }

  private balance(token: Address, owner: Address) {
    return readContract<bigint>(this.context.rpc, token, erc20BalanceAbi as never, 'balanceOf', [owner])
  }

  private buySize(pool: LivePool, tokenIn: Address) {
    const reserve = pool.token0 === tokenIn ? pool.r0 : pool.r1
    return (reserve * BigInt(20 + Math.floor(this.random() * 60))) / 10_000n
  }

  async tick(pools: LivePool[]): Promise<void> {
    const { rpc, router } = this.context
    this.turn++
    for (const ring of this.rings) {
      const round = this.rounds.get(ring.name)
      if (round === undefined) {
        if (this.random() > 0.5) continue
        const pick = this.pickPool(pools)
        if (!pick) continue
        const i = Math.floor(this.random() * ring.members.length)
        const from = ring.members[i] as Address
        const to = ring.members[(i + 1) % ring.members.length] as Address
        const before = await this.balance(pick.tokenOut, from)
        await send(
          rpc,
          from,
          router,
          swapCall(this.buySize(pick.pool, pick.tokenIn), 0n, [pick.tokenIn, pick.tokenOut], from),
        )
        this.rounds.set(ring.name, { step: 1, from, to, ...pick, before })
      } else if (round.step === 1) {
        const bought = (await this.balance(round.tokenOut, round.from)) - round.before
        if (bought <= 0n) continue // not mined yet
        await send(rpc, round.from, round.tokenOut, transferCall(round.to, bought))
        this.rounds.set(ring.name, { ...round, step: 2, before: bought })
      } else {
        await send(
          rpc,
          round.to,
          router,
          swapCall(round.before, 0n, [round.tokenOut, round.tokenIn], round.to),
        )
        this.rounds.delete(ring.name)
      }
    }
    for (const washer of this.selfWashers) {
      const round = this.selfRounds.get(washer)
      if (round === undefined) {
        if (this.random() > 0.4) continue
        const pick = this.pickPool(pools)
        if (!pick) continue
        const before = await this.balance(pick.tokenOut, washer)
        await send(
          rpc,
          washer,
          router,
          swapCall(this.buySize(pick.pool, pick.tokenIn), 0n, [pick.tokenIn, pick.tokenOut], washer),
        )
        this.selfRounds.set(washer, { ...pick, before })
      } else {
        const bought = (await this.balance(round.tokenOut, washer)) - round.before
        if (bought <= 0n) continue
        await send(rpc, washer, router, swapCall(bought, 0n, [round.tokenOut, round.tokenIn], washer))
        this.selfRounds.delete(washer)
      }
    }
    // Look-alikes on one token: the accumulators buy it together in one block, distributors sell it.
    const soba = this.context.tokens.find((t) => t.symbol === 'SOBA')?.address.toLowerCase()
    const pool = pools.find((p) => p.token0 === soba || p.token1 === soba)
    if (soba === undefined || pool === undefined) return
    const other = (pool.token0 === soba ? pool.token1 : pool.token0) as Address
    if (this.turn % 4 === 0) {
      for (const member of this.accumulators.members)
        await send(
          rpc,
          member,
          router,
          swapCall(this.buySize(pool, other) / 4n, 0n, [other, soba as Address], member),
        )
    }
    if (this.turn % 3 === 0) {
      for (const seller of this.distributors)
        await send(
          rpc,
          seller,
          router,
          swapCall(this.buySize(pool, soba as Address) / 3n, 0n, [soba as Address, other], seller),
        )
    }
  }

  async settle(): Promise<void> {}
}
