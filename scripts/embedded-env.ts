/**
 * The environment of `npm start` on embedded defaults, as a fresh machine has it: the service
 * URLs that would switch a driver to PostgreSQL/Redis/RabbitMQ, a remote chain or an OTLP
 * collector are removed, and data goes to `dataDir`. Shared by the embedded-start acceptance test
 * and the start-up benchmark so both measure the same thing.
 */
const SERVICE_VARIABLES = [
  'DATABASE_URL',
  'REDIS_URL',
  'AMQP_URL',
  'CHAIN_RPC_URL',
  'OTEL_EXPORTER_OTLP_ENDPOINT',
]

export function embeddedEnv(dataDir: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'development',
    LOG_LEVEL: 'warn',
    DATA_DIR: dataDir,
  }
  for (const name of SERVICE_VARIABLES) delete env[name]
  return env
}
