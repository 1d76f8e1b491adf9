import { type QueryExecutorProvider, sql } from 'kysely'

/** One dependency probed by /health/ready. */
export interface HealthCheck {
  name: string
  /** Resolves when the dependency answers; rejects (or times out) when it does not. */
  check: () => Promise<unknown>
  /** Per-check timeout; default 2000 ms. */
  timeoutMs?: number
  /**
   * Default true: when down, the process is not ready. A non-critical check (an optional upstream
   * whose routes alone degrade) is reported in /health/ready but leaves the process ready.
   */
  critical?: boolean
}

/** Anything with a ping: ioredis (`ping`), the cache/queue drivers of the kit, a custom client. */
export type Pingable = { ping: () => Promise<unknown> } | (() => Promise<unknown>)

export function pingCheck(name: string, target: Pingable, timeoutMs?: number): HealthCheck {
  const ping = typeof target === 'function' ? target : () => target.ping()
  return { name, check: ping, ...(timeoutMs ? { timeoutMs } : {}) }
}

export function databaseCheck(
  database: { kysely: QueryExecutorProvider },
  name = 'database',
  timeoutMs?: number,
): HealthCheck {
  return pingCheck(name, () => sql`select 1`.execute(database.kysely), timeoutMs)
}

export function redisCheck(
  redis: { ping: () => Promise<unknown> },
  name = 'redis',
  timeoutMs?: number,
): HealthCheck {
  return pingCheck(name, redis, timeoutMs)
}

/** RabbitMQ: pass the kit queue (it has `ping`) or a function that checks the channel. */
export function amqpCheck(queue: Pingable, name = 'amqp', timeoutMs?: number): HealthCheck {
  return pingCheck(name, queue, timeoutMs)
}
