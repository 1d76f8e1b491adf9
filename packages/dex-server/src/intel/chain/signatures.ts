import {
  Erc1967Proxy,
  FeeOnTransferToken,
  HoneypotToken,
  SobaFactory,
  SobaPair,
  SobaRouter,
  TestToken,
  WETH9,
} from '@soba/contracts'
import { type Abi, type AbiFunction, toFunctionSelector } from 'viem'
import { formatAbiItem } from 'viem/utils'

/**
 * A local signature database: selector → function, built from the ABIs this repository ships
 * (ERC-20s, WETH, the v2 factory, pair and router) plus common admin and proxy functions. A
 * selector missing here is reported with a null signature; nothing is fetched from outside.
 */
const COMMON = [
  'function owner() view returns (address)',
  'function transferOwnership(address newOwner)',
  'function renounceOwnership()',
  'function implementation() view returns (address)',
  'function admin() view returns (address)',
  'function upgradeTo(address newImplementation)',
  'function upgradeToAndCall(address newImplementation, bytes data) payable',
  'function changeAdmin(address newAdmin)',
  'function pause()',
  'function unpause()',
  'function paused() view returns (bool)',
  'function blacklist(address account)',
  'function setFee(uint256 fee)',
  'function setMaxTxAmount(uint256 amount)',
  'function increaseAllowance(address spender, uint256 addedValue) returns (bool)',
  'function decreaseAllowance(address spender, uint256 subtractedValue) returns (bool)',
  'function burn(uint256 value)',
  'function permit(address owner, address spender, uint256 value, uint256 deadline, uint8 v, bytes32 r, bytes32 s)',
  'function nonces(address owner) view returns (uint256)',
  'function DOMAIN_SEPARATOR() view returns (bytes32)',
]

const known = new Map<string, AbiFunction>()
for (const abi of [
  TestToken,
  FeeOnTransferToken,
  HoneypotToken,
  WETH9,
  SobaFactory,
  SobaPair,
  SobaRouter,
  Erc1967Proxy,
]) {
  for (const item of abi.abi as Abi) {
    if (item.type === 'function') known.set(toFunctionSelector(item), item)
  }
}
for (const text of COMMON) {
  const selector = toFunctionSelector(text)
  if (!known.has(selector)) known.set(selector, { ...parseFunction(text) })
}

function parseFunction(text: string): AbiFunction {
  // `function name(type a, …) [view|payable] [returns (…)]` → a minimal ABI item.
  const match = /^function (\w+)\(([^)]*)\)\s*(view|payable)?(?:\s*returns \(([^)]*)\))?$/.exec(text)
  if (!match) throw new Error(`bad signature ${text}`)
  const params = (list: string | undefined) =>
    (list ?? '')
      .split(',')
      .map((p) => p.trim())
      .filter(Boolean)
      .map((p) => {
        const [type, name] = p.split(/\s+/)
        return { type: type as string, name: name ?? '' }
      })
  return {
    type: 'function',
    name: match[1] as string,
    inputs: params(match[2]),
    outputs: params(match[4]),
    stateMutability: match[3] === 'view' ? 'view' : match[3] === 'payable' ? 'payable' : 'nonpayable',
  }
}

export interface RecoveredFunction {
  selector: string
  signature: string | null
  abi: AbiFunction | null
}

export function lookupSelector(selector: string): RecoveredFunction {
  const abi = known.get(selector) ?? null
  return { selector, signature: abi ? formatAbiItem(abi) : null, abi }
}
