import { randomUUID } from 'node:crypto'

let lastMs = 0
let counter = 0

/**
 * RFC 9562 UUIDv7: 48-bit Unix milliseconds, a 12-bit counter (the RFC's "method 1"), then random
 * bits. The counter keeps ids made by this process strictly increasing even within one
 * millisecond, so an id is a usable newest-first cursor; when it runs out the timestamp moves on
 * by a millisecond. The random part comes from randomUUID(), which draws from a cached entropy
 * pool (much cheaper per request than randomBytes); its variant bits are kept.
 */
export function uuidv7(now: number = Date.now()): string {
  if (now > lastMs) {
    lastMs = now
    counter = 0
  } else if (++counter > 0xfff) {
    lastMs++
    counter = 0
  }
  const random = randomUUID()
  const time = lastMs.toString(16).padStart(12, '0')
  const sequence = counter.toString(16).padStart(3, '0')
  return `${time.slice(0, 8)}-${time.slice(8, 12)}-7${sequence}-${random.slice(19)}`
}
