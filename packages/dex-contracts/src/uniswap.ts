// The original Uniswap v2 build output shipped in the npm packages (solc 0.5.16 core,
// 0.6.6 periphery): deployed beside ours for differential tests, gas comparison, and to
// prove the indexer and router work on real Uniswap v2 forks.
import { createRequire } from 'node:module'
import { type Abi, type Hex, keccak256 } from 'viem'

const require = createRequire(import.meta.url)

export interface NpmArtifact {
  abi: Abi
  bytecode: Hex
}

function load(path: string): NpmArtifact {
  const json = require(path) as { abi: Abi; bytecode: string }
  return {
    abi: json.abi,
    bytecode: (json.bytecode.startsWith('0x') ? json.bytecode : `0x${json.bytecode}`) as Hex,
  }
}

export const uniswapV2Artifacts = {
  UniswapV2Factory: load('@uniswap/v2-core/build/UniswapV2Factory.json'),
  UniswapV2Pair: load('@uniswap/v2-core/build/UniswapV2Pair.json'),
  UniswapV2Router02: load('@uniswap/v2-periphery/build/UniswapV2Router02.json'),
  WETH9: load('@uniswap/v2-periphery/build/WETH9.json'),
} as const

/** Init code hash of the shipped UniswapV2Pair; equals the constant hard-coded in Router02. */
export const UNISWAP_V2_INIT_CODE_HASH: Hex = keccak256(uniswapV2Artifacts.UniswapV2Pair.bytecode)
