import { randomBytes, type ScryptOptions, scrypt, timingSafeEqual } from 'node:crypto'

export interface ScryptParams {
  /** CPU/memory cost, a power of two. */
  N: number
  r: number
  p: number
}

/** OWASP's scrypt baseline (N=2^17, r=8, p=1): ~128 MiB and tens of ms per hash. */
export const defaultScryptParams: ScryptParams = { N: 2 ** 17, r: 8, p: 1 }
const KEY_LENGTH = 32
const SALT_LENGTH = 16

function derive(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const options: ScryptOptions = { N: params.N, r: params.r, p: params.p, maxmem: 256 * params.N * params.r }
  return new Promise((resolve, reject) =>
    scrypt(password.normalize('NFKC'), salt, KEY_LENGTH, options, (error, key) =>
      error ? reject(error) : resolve(key),
    ),
  )
}

/**
 * `scrypt$N=…,r=…,p=…$<salt b64>$<hash b64>`: the parameters travel with the hash, so they can
 * be raised later without breaking stored passwords (see `needsRehash`).
 */
export async function hashPassword(
  password: string,
  params: ScryptParams = defaultScryptParams,
): Promise<string> {
  const salt = randomBytes(SALT_LENGTH)
  const hash = await derive(password, salt, params)
  return `scrypt$N=${params.N},r=${params.r},p=${params.p}$${salt.toString('base64')}$${hash.toString('base64')}`
}

function parse(encoded: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const match = /^scrypt\$N=(\d+),r=(\d+),p=(\d+)\$([A-Za-z0-9+/=]+)\$([A-Za-z0-9+/=]+)$/.exec(encoded)
  if (!match) return undefined
  return {
    params: { N: Number(match[1]), r: Number(match[2]), p: Number(match[3]) },
    salt: Buffer.from(match[4]!, 'base64'),
    hash: Buffer.from(match[5]!, 'base64'),
  }
}

export async function verifyPassword(password: string, encoded: string): Promise<boolean> {
  const parsed = parse(encoded)
  if (!parsed) return false
  const actual = await derive(password, parsed.salt, parsed.params)
  return actual.length === parsed.hash.length && timingSafeEqual(actual, parsed.hash)
}

/** True when a stored hash used weaker parameters than `params`: rehash it at the next login. */
export function needsRehash(encoded: string, params: ScryptParams = defaultScryptParams): boolean {
  const parsed = parse(encoded)
  if (!parsed) return true
  return parsed.params.N < params.N || parsed.params.r < params.r || parsed.params.p < params.p
}
