import { BrowserProvider } from 'ethers'
import { SiweMessage } from 'siwe'
import { getAddress } from 'viem'
import { InputError } from '../quote/input-error.js'
import type { Eip1193Like } from '../wallet/chain-client.js'
import type { NonceStore } from './nonces.js'

export interface SignInCheck {
  /** Domains a message may be bound to (the host the client signed in on). */
  domains: readonly string[]
  chainId: number
  nonces: NonceStore
  /** For EIP-1271 contract wallets: the chain the signature is checked against. */
  rpc?: Eip1193Like
  now?: () => Date
  /** How old an Issued At may be (default 10 min, a nonce's lifetime): older messages were prepared elsewhere. */
  maxAgeMs?: number
}

/** Clocks of wallets and servers disagree a little; a message "issued" further ahead is refused. */
const CLOCK_SKEW_MS = 5 * 60_000
const DEFAULT_MAX_AGE_MS = 10 * 60_000

export interface SignedIn {
  address: `0x${string}`
  chainId: number
  /** When the message itself says it stops being valid, if it does. */
  expiresAt?: Date
}

/**
 * Verifies an EIP-4361 message and its signature: well formed, bound to one of our domains and to
 * our chain, inside its validity window, signed by its address (EOA, or an EIP-1271 wallet through
 * the chain), and carrying a nonce we issued and nobody used. The nonce is taken only after the
 * signature holds, so junk cannot burn a real user's nonce.
 */
export async function verifySignIn(
  message: string,
  signature: string,
  check: SignInCheck,
): Promise<SignedIn> {
  let parsed: SiweMessage
  try {
    parsed = new SiweMessage(message)
  } catch (error) {
    throw new InputError(
      400,
      'siwe_malformed',
      `not an EIP-4361 message: ${(error as Error).message}`,
      '/message',
    )
  }
  if (!check.domains.includes(parsed.domain)) {
    throw new InputError(
      422,
      'siwe_domain_mismatch',
      `the message is for ${parsed.domain}, not this site`,
      '/message',
    )
  }
  if (!uriHostOf(parsed.uri) || !check.domains.includes(uriHostOf(parsed.uri) as string)) {
    throw new InputError(
      422,
      'siwe_uri_mismatch',
      `the message's URI ${parsed.uri} is not on this site`,
      '/message',
    )
  }
  const now = check.now?.() ?? new Date()
  const issuedAt = parsed.issuedAt ? Date.parse(parsed.issuedAt) : Number.NaN
  if (
    Number.isNaN(issuedAt) ||
    issuedAt > now.getTime() + CLOCK_SKEW_MS ||
    issuedAt < now.getTime() - (check.maxAgeMs ?? DEFAULT_MAX_AGE_MS)
  ) {
    throw new InputError(
      422,
      'siwe_issued_at_invalid',
      `the message's Issued At (${parsed.issuedAt}) is not within the last few minutes`,
      '/message',
    )
  }
  if (parsed.chainId !== check.chainId) {
    throw new InputError(
      422,
      'siwe_chain_mismatch',
      `the message is for chain ${parsed.chainId}, not ${check.chainId}`,
      '/message',
    )
  }
  const result = await parsed.verify(
    { signature, time: now.toISOString() },
    { suppressExceptions: true, ...(check.rpc ? { provider: new BrowserProvider(check.rpc) as any } : {}) },
  )
  if (!result.success) {
    const type = String((result.error as { type?: string } | undefined)?.type ?? '')
    if (/expired/i.test(type))
      throw new InputError(422, 'siwe_expired', 'the message has expired', '/message')
    if (/not valid yet/i.test(type))
      throw new InputError(422, 'siwe_not_yet_valid', 'the message is not valid yet', '/message')
    throw new InputError(
      422,
      'siwe_bad_signature',
      'the signature does not match the message address',
      '/signature',
    )
  }
  const nonce = await check.nonces.consume(parsed.nonce)
  if (nonce === 'replayed')
    throw new InputError(409, 'siwe_nonce_replayed', 'this nonce was already used', '/message')
  if (nonce === 'unknown')
    throw new InputError(422, 'siwe_nonce_unknown', 'this nonce was not issued or has expired', '/message')
  return {
    address: getAddress(parsed.address),
    chainId: parsed.chainId,
    ...(parsed.expirationTime ? { expiresAt: new Date(parsed.expirationTime) } : {}),
  }
}

/** The host (with port) of a message's URI, as a domain is written; undefined when not a URL. */
function uriHostOf(uri: string): string | undefined {
  try {
    return new URL(uri).host || undefined
  } catch {
    return undefined
  }
}
