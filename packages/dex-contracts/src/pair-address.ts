import { type Address, encodePacked, getCreate2Address, type Hex, keccak256 } from 'viem'
import { PAIR_INIT_CODE_HASH } from './generated/artifacts.js'

/** Tokens in pair order (token0 < token1), as the factory sorts them. */
export function sortTokens(tokenA: Address, tokenB: Address): [Address, Address] {
  const a = BigInt(tokenA)
  const b = BigInt(tokenB)
  if (a === b) throw new Error('identical token addresses')
  return a < b ? [tokenA, tokenB] : [tokenB, tokenA]
}

/** CREATE2 address of the pair for two tokens, computed offline like the router's pairFor.
 *  Pass UNISWAP_V2_INIT_CODE_HASH (or a fork's hash) for other deployments. */
export function pairAddress(
  factory: Address,
  tokenA: Address,
  tokenB: Address,
  initCodeHash: Hex = PAIR_INIT_CODE_HASH,
): Address {
  const [token0, token1] = sortTokens(tokenA, tokenB)
  return getCreate2Address({
    from: factory,
    salt: keccak256(encodePacked(['address', 'address'], [token0, token1])),
    bytecodeHash: initCodeHash,
  })
}
