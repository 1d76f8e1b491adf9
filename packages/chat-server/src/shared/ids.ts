// The kit's UUIDv7 is monotonic within the process, so message and row ids are ordered cursors.
export { uuidv7 } from '@platform/service-kit/http'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i

export function isUuid(value: string): boolean {
  return UUID.test(value)
}

/**
 * Pattern for ids chosen by the customer (user ids, channel ids): safe in URLs and channel names;
 * 100 is Fastify's path-parameter limit. `.` and `..` are refused: in a URL or a path they mean
 * "here" and "up", never an id.
 */
export const EXTERNAL_ID_PATTERN = '^(?!\\.{1,2}$)[A-Za-z0-9_\\-@.]{1,100}$'
