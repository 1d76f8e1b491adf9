import type { Abi, Address, Hex } from 'viem'
import { decodeFunctionResult, erc20Abi } from 'viem'
import type { Eip1193 } from '../../chain/rpc.js'
import { encodeCall } from '../../chain/tx.js'
import { hasDelegatecall, minimalProxyTarget, selectorsOf } from './bytecode.js'
import { checkHoneypot, type HoneypotCheck } from './honeypot.js'
import { lookupSelector, type RecoveredFunction } from './signatures.js'

/** bytes32(uint256(keccak256('eip1967.proxy.implementation')) - 1) and the beacon slot. */
const EIP1967_IMPLEMENTATION = '0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc'
const EIP1967_BEACON = '0xa3f0ad74e5423aebfd80d3be4ddc61eed4d6e41a4b4ef5b54b4b9e0e8e1c5ab3'

export interface ContractAnalysis {
  address: string
  isContract: boolean
  codeSize: number
  functions: RecoveredFunction[]
  proxy: {
    kind: 'eip1967' | 'eip1967-beacon' | 'eip1167' | 'delegatecall'
    implementation: string | null
  } | null
  erc20: { name: string | null; symbol: string | null; decimals: number | null; totalSupply: string } | null
  honeypot: HoneypotCheck | null
  /** Why there is no honeypot verdict (not a token, no WETH pool). */
  honeypotSkipped: 'not_erc20' | 'no_weth_pool' | null
}

async function call<T>(rpc: Eip1193, to: Address, abi: Abi, name: string): Promise<T | null> {
  try {
    const data = (await rpc.request({
      method: 'eth_call',
      params: [{ to, data: encodeCall(abi, name) }, 'latest'],
    })) as Hex
    return decodeFunctionResult({ abi, functionName: name, data } as Parameters<
      typeof decodeFunctionResult
    >[0]) as T
  } catch {
    return null
  }
}

const slotAddress = (word: unknown) =>
  typeof word === 'string' && /^0x0*$/.test(word) === false ? `0x${word.slice(-40).toLowerCase()}` : null

async function detectProxy(rpc: Eip1193, address: Address, code: string): Promise<ContractAnalysis['proxy']> {
  const clone = minimalProxyTarget(code)
  if (clone) return { kind: 'eip1167', implementation: clone }
  const storage = (slot: string) =>
    rpc.request({ method: 'eth_getStorageAt', params: [address, slot, 'latest'] }).then(slotAddress)
  const implementation = await storage(EIP1967_IMPLEMENTATION)
  if (implementation) return { kind: 'eip1967', implementation }
  const beacon = await storage(EIP1967_BEACON)
  if (beacon) {
    const target = await call<Address>(
      rpc,
      beacon as Address,
      [
        {
          type: 'function',
          name: 'implementation',
          inputs: [],
          outputs: [{ type: 'address' }],
          stateMutability: 'view',
        },
      ],
      'implementation',
    )
    return { kind: 'eip1967-beacon', implementation: target?.toLowerCase() ?? null }
  }
  return hasDelegatecall(code) ? { kind: 'delegatecall', implementation: null } : null
}

export interface AnalysisContext {
  weth: Address
  /** The token's pool against WETH with its WETH reserve, if the index has one. */
  wethPool: (token: string) => { pool: Address; wethReserve: bigint } | null
}

/**
 * Everything the service says about one address: recovered functions (through the proxy to its
 * implementation), proxy kind, ERC-20 facts, and the honeypot simulation when it is a token with
 * a WETH pool. Bounded: one getCode per contract, a few eth_calls and storage reads.
 */
export async function analyzeContract(
  rpc: Eip1193,
  address: Address,
  context: AnalysisContext,
): Promise<ContractAnalysis> {
  const code = (await rpc.request({ method: 'eth_getCode', params: [address, 'latest'] })) as string
  const base: ContractAnalysis = {
    address: address.toLowerCase(),
    isContract: code !== '0x' && code.length > 2,
    codeSize: Math.max(0, (code.length - 2) / 2),
    functions: [],
    proxy: null,
    erc20: null,
    honeypot: null,
    honeypotSkipped: null,
  }
  if (!base.isContract) return base
  base.proxy = await detectProxy(rpc, address, code)
  let logic = code
  if (base.proxy?.implementation) {
    logic = (await rpc.request({
      method: 'eth_getCode',
      params: [base.proxy.implementation, 'latest'],
    })) as string
  }
  base.functions = selectorsOf(logic).map(lookupSelector)
  const totalSupply = await call<bigint>(rpc, address, erc20Abi, 'totalSupply')
  if (totalSupply !== null) {
    const decimals = await call<number>(rpc, address, erc20Abi, 'decimals')
    base.erc20 = {
      name: await call<string>(rpc, address, erc20Abi, 'name'),
      symbol: await call<string>(rpc, address, erc20Abi, 'symbol'),
      decimals: decimals === null ? null : Number(decimals),
      totalSupply: totalSupply.toString(),
    }
  }
  if (base.erc20 === null) {
    base.honeypotSkipped = 'not_erc20'
    return base
  }
  const pool = address.toLowerCase() === context.weth.toLowerCase() ? null : context.wethPool(address)
  if (pool === null) {
    base.honeypotSkipped = 'no_weth_pool'
    return base
  }
  base.honeypot = await checkHoneypot(rpc, { token: address, weth: context.weth, ...pool })
  return base
}
