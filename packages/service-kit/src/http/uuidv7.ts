import { randomUUID } from 'node:crypto'

let lastMs = 0
let counter = 0
/** `tttttttt-tttt-7` for lastMs: ids share it within a millisecond, so it is formatted once. */
let timePrefix = ''
/** The 12-bit counter as three hex digits, precomputed (4,096 short strings). */
const SEQUENCE_HEX = Array.from({ length: 0x1000 }, (_, n) => n.toString(16).padStart(3, '0'))

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
    timePrefix = ''
  } else if (++counter > 0xfff) {
    lastMs++
    counter = 0
    timePrefix = ''
  }
  if (timePrefix === '') {
    const time = lastMs.toString(16).padStart(12, '0')
    timePrefix = `${time.slice(0, 8)}-${time.slice(8, 12)}-7`
  }
  return `${timePrefix}${SEQUENCE_HEX[counter]}-${randomUUID().slice(19)}`
}
