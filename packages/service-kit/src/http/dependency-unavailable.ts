/**
 * Whether an error means "a backing service cannot be reached right now" rather than "this request
 * is wrong" or "this code is broken": the database connection was refused or cut, the server is
 * shutting down or starting, the connection reached a read-only standby (an address not yet moved
 * after a failover), or a socket to any dependency was refused or reset. Such requests can be
 * retried shortly: they answer 503 with Retry-After, not 500.
 */
const UNAVAILABLE_SQLSTATES = new Set([
  '57P01', // admin_shutdown
  '57P02', // crash_shutdown
  '57P03', // cannot_connect_now (starting up, in recovery)
  '25006', // read_only_sql_transaction (a standby)
  '53300', // too_many_connections
])
const UNAVAILABLE_SOCKET_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH'])

export function isDependencyUnavailable(error: unknown): boolean {
  if (!(error instanceof Error)) return false
  const code = (error as { code?: unknown }).code
  if (typeof code === 'string') {
    // SQLSTATE class 08: connection exceptions
    if (code.length === 5 && code.startsWith('08')) return true
    if (UNAVAILABLE_SQLSTATES.has(code) || UNAVAILABLE_SOCKET_CODES.has(code)) return true
  }
  // ioredis gives up on a command after its retries, or refuses one on a closed connection
  if (error.name === 'MaxRetriesPerRequestError' || error.message === 'Connection is closed.') return true
  // node-postgres reports a connection cut mid-query, or a pool that could not connect in time, without a code
  return (
    /^Connection terminated/.test(error.message) ||
    error.message === 'timeout exceeded when trying to connect'
  )
}
