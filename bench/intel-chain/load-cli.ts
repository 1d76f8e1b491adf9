/**
 * Runs one route's load in its own process, so the load generator never shares the server's
 * event loop: `INTEL_LOAD={"baseUrl","route","requests","rate","seconds"}` in, one JSON line out.
 */
import { loadRoute } from './load.js'

const plan = JSON.parse(process.env.INTEL_LOAD ?? '{}')
const result = await loadRoute(plan.baseUrl, plan.route, plan.requests, plan.rate, plan.seconds)
process.stdout.write(`${JSON.stringify(result)}\n`)
