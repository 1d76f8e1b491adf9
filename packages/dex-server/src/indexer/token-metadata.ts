import type { Address } from 'viem'
import type { Eip1193 } from '../chain/rpc.js'

export interface TokenMetadata {
  address: Address
  symbol: string | null
  name: string | null
  decimals: number | null
  metadataOk: boolean
}

const SELECTORS = { symbol: '0x95d89b41', name: '0x06fdde03', decimals: '0x313ce567' } as const
/** Enough for any honest getter; a token that loops or burns gas just yields null. */
const CALL_GAS = '0x30d40'
const CALL_TIMEOUT_MS = 5_000
const MAX_TEXT = 64
/** numeric(78,0) holds 10^77; anything larger is not a decimals value we can price with. */
const MAX_DECIMALS = 77

async function call(rpc: Eip1193, to: string, data: string): Promise<string | null> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<null>((resolve) => {
    timer = setTimeout(() => resolve(null), CALL_TIMEOUT_MS)
  })
  try {
    const result = await Promise.race([
      rpc.request({ method: 'eth_call', params: [{ to, data, gas: CALL_GAS }, 'latest'] }),
      timeout,
    ])
    return typeof result === 'string' && /^0x([0-9a-fA-F]{2})*$/.test(result) ? result : null
  } catch {
    return null
  } finally {
    clearTimeout(timer)
  }
}

function clean(text: string): string | null {
  // Strip control characters and invisible format characters a hostile token could use to spoof.
  const cleaned = text
    .replace(/[\p{Cc}\p{Cf}]/gu, '')
    .trim()
    .slice(0, MAX_TEXT)
  return cleaned.length > 0 ? cleaned : null
}

function utf8(bytes: Buffer): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes)
  } catch {
    return null
  }
}

/** Decodes an ABI `string` return, or a `bytes32` one (MKR-style tokens). */
export function decodeText(hex: string | null): string | null {
  if (hex === null || hex.length <= 2) return null
  const bytes = Buffer.from(hex.slice(2), 'hex')
  if (bytes.length === 32) {
    const end = bytes.indexOf(0)
    const text = utf8(end === -1 ? bytes : bytes.subarray(0, end))
    return text === null ? null : clean(text)
  }
  if (bytes.length < 64) return null
  const offset = BigInt(`0x${bytes.subarray(0, 32).toString('hex')}`)
  if (offset + 32n > BigInt(bytes.length)) return null
  const start = Number(offset)
  const length = BigInt(`0x${bytes.subarray(start, start + 32).toString('hex')}`)
  if (BigInt(start) + 32n + length > BigInt(bytes.length)) return null
  const text = utf8(bytes.subarray(start + 32, start + 32 + Number(length)))
  return text === null ? null : clean(text)
}

export function decodeDecimals(hex: string | null): number | null {
  if (hex === null || hex.length < 66) return null
  const value = BigInt(hex.slice(0, 66))
  return value <= BigInt(MAX_DECIMALS) ? Number(value) : null
}

/**
 * Reads symbol, name and decimals once. Each getter is optional in ERC-20, may revert, may answer
 * bytes32 or garbage, or may hang: every failure becomes null and never an exception.
 */
export async function readTokenMetadata(rpc: Eip1193, address: Address): Promise<TokenMetadata> {
  const [symbol, name, decimals] = await Promise.all([
    call(rpc, address, SELECTORS.symbol).then(decodeText),
    call(rpc, address, SELECTORS.name).then(decodeText),
    call(rpc, address, SELECTORS.decimals).then(decodeDecimals),
  ])
  return { address, symbol, name, decimals, metadataOk: symbol !== null && decimals !== null }
}
