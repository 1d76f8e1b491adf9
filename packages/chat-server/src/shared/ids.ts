import { randomBytes } from 'node:crypto'

let lastMs = 0
let counter = 0

/**
 * UUIDv7 (RFC 9562): 48-bit Unix ms timestamp, then a 12-bit counter that keeps ids made in the same
 * millisecond by this process strictly increasing, then random bits.
 */
export function uuidv7(now = Date.now()): string {
  if (now <= lastMs) {
    counter++
    if (counter > 0xfff) {
      lastMs++
      counter = 0
    }
  } else {
    lastMs = now
    counter = 0
  }
  const bytes = randomBytes(16)
  const ms = BigInt(lastMs)
  for (let i = 0; i < 6; i++) bytes[i] = Number((ms >> BigInt(8 * (5 - i))) & 0xffn)
  bytes[6] = 0x70 | (counter >> 8)
  bytes[7] = counter & 0xff
  bytes[8] = 0x80 | (bytes[8]! & 0x3f)
  const hex = bytes.toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}

/** Pattern for ids chosen by the customer (user ids, channel ids): safe in URLs and channel names; 100 is Fastify's path-parameter limit. */
export const EXTERNAL_ID_PATTERN = '^[A-Za-z0-9_\\-@.]{1,100}$'
