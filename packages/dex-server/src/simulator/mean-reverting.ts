import { gaussian, seededRandom } from './random.js'

/**
 * One token whose reference price mean-reverts (an Ornstein–Uhlenbeck process on the log price)
 * instead of drifting like the others, so that a forecaster has real structure to find beside the
 * random-walk pools. The seed deploys the token and one pool against USDC; the simulator's
 * arbitrageur steers that pool toward this price like any other.
 */
export const MEAN_REVERTING_TOKEN = {
  symbol: 'MRV',
  name: 'Mean Reverting',
  decimals: 18,
  usd: 10,
} as const

/** The seeded pool of the mean-reverting token and the USD deposited on each side. */
export const MEAN_REVERTING_POOL: [string, string, number] = ['MRV', 'USDC', 500_000]

export interface OrnsteinUhlenbeckParams {
  /** Long-run mean of the price (the log price reverts to ln(mean)). */
  mean: number
  /** Time for a deviation to halve, in seconds of simulated time. */
  halfLifeSeconds: number
  /** Standard deviation of the stationary log price (0.02 ≈ 2%). */
  stationarySd: number
}

/**
 * Half-life 45 s and 2% stationary spread: one minute ahead, about 40% of a deviation remains,
 * which an autoregressive forecaster can use; five minutes ahead the price is back at the mean.
 */
export const DEFAULT_OU: Omit<OrnsteinUhlenbeckParams, 'mean'> = { halfLifeSeconds: 45, stationarySd: 0.02 }

/**
 * The exact discretisation of the OU process, so a step of `dt` seconds has the same law whatever
 * the tick period: the live simulator (1 tick/s) and the backtest (1 tick per chain minute) sample
 * the same process.
 */
export function ouStep(
  price: number,
  params: OrnsteinUhlenbeckParams,
  dtSeconds: number,
  random: () => number,
): number {
  const theta = Math.LN2 / params.halfLifeSeconds
  const keep = Math.exp(-theta * dtSeconds)
  const mu = Math.log(params.mean)
  const x = mu + (Math.log(price) - mu) * keep
  return Math.exp(x + params.stationarySd * Math.sqrt(1 - keep * keep) * gaussian(random))
}

/**
 * The simulator actor: owns the reference price of one token and moves it one OU step per tick.
 * It draws from its own seeded generator, so adding it leaves the other tokens' paths unchanged.
 */
export class MeanRevertingReference {
  private value: number
  private readonly random: () => number
  private readonly params: OrnsteinUhlenbeckParams
  private readonly tickSeconds: number

  constructor(
    readonly token: string,
    options: { seed: number; tickSeconds: number; params?: Partial<OrnsteinUhlenbeckParams> },
  ) {
    this.params = { mean: MEAN_REVERTING_TOKEN.usd, ...DEFAULT_OU, ...options.params }
    this.value = this.params.mean
    this.random = seededRandom(options.seed ^ 0x5eed0)
    this.tickSeconds = options.tickSeconds
  }

  owns(token: string): boolean {
    return token.toLowerCase() === this.token.toLowerCase()
  }

  price(): number {
    return this.value
  }

  step(): void {
    this.value = ouStep(this.value, this.params, this.tickSeconds, this.random)
  }
}
