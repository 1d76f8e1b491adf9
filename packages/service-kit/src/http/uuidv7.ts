import { randomUUID } from 'node:crypto'

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, then random bits, so ids sort by creation time.
 * The random part comes from randomUUID(), which draws from a cached entropy pool (much cheaper
 * per request than randomBytes); its version nibble is replaced by 7, its variant bits are kept.
 */
export function uuidv7(now: number = Date.now()): string {
  const random = randomUUID()
  const time = now.toString(16).padStart(12, '0')
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${random.slice(15, 18)}-${random.slice(19)}`
}
