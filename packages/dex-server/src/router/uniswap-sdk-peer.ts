import { createRequire } from 'node:module'
import type { PoolState } from './graph.js'

/**
 * `@uniswap/v2-sdk` as the reference route finder for tests and the benchmark. Loaded through
 * require: its ESM build does not import on Node. Only tests and bench/ load this module.
 */
const require = createRequire(import.meta.url)
const sdk = require('@uniswap/v2-sdk')
const core = require('@uniswap/sdk-core')

export interface PeerTrade {
  amountIn: bigint
  amountOut: bigint
  route: string[]
}

export class UniswapSdkPeer {
  private readonly tokens = new Map<string, any>()
  readonly pairs: any[]

  constructor(pools: readonly PoolState[]) {
    this.pairs = pools.map(
      (p) =>
        new sdk.Pair(
          core.CurrencyAmount.fromRawAmount(this.token(p.token0), p.reserve0.toString()),
          core.CurrencyAmount.fromRawAmount(this.token(p.token1), p.reserve1.toString()),
        ),
    )
  }

  private token(address: string): any {
    const key = address.toLowerCase()
    let token = this.tokens.get(key)
    if (!token) {
      // Any checksum-valid spelling works; chain id 1 gives the SDK a known factory for pair addresses.
      token = new core.Token(1, key, 18)
      this.tokens.set(key, token)
    }
    return token
  }

  /** The SDK's best exact-input trade (maxNumResults 1, as a quote needs only the best). */
  bestTradeExactIn(tokenIn: string, tokenOut: string, amountIn: bigint, maxHops = 3): PeerTrade | undefined {
    const [trade] = sdk.Trade.bestTradeExactIn(
      this.pairs,
      core.CurrencyAmount.fromRawAmount(this.token(tokenIn), amountIn.toString()),
      this.token(tokenOut),
      { maxHops, maxNumResults: 1 },
    )
    return trade && peerTrade(trade)
  }

  /** The SDK's best exact-output trade. */
  bestTradeExactOut(
    tokenIn: string,
    tokenOut: string,
    amountOut: bigint,
    maxHops = 3,
  ): PeerTrade | undefined {
    const [trade] = sdk.Trade.bestTradeExactOut(
      this.pairs,
      this.token(tokenIn),
      core.CurrencyAmount.fromRawAmount(this.token(tokenOut), amountOut.toString()),
      { maxHops, maxNumResults: 1 },
    )
    return trade && peerTrade(trade)
  }
}

function peerTrade(trade: any): PeerTrade {
  return {
    amountIn: BigInt(trade.inputAmount.quotient.toString()),
    amountOut: BigInt(trade.outputAmount.quotient.toString()),
    route: trade.route.path.map((t: any) => t.address.toLowerCase()),
  }
}
