export { amqpCheck, databaseCheck, type HealthCheck, type Pingable, pingCheck, redisCheck } from './checks.js'
export { type HealthRoutesOptions, registerHealthRoutes } from './health-routes.js'
export { type CheckResult, DEFAULT_CHECK_TIMEOUT_MS, runChecks } from './run-checks.js'
