/**
 * One gateway node as its own process, for the multi-node tests (which kill it with SIGKILL).
 * Env: REDIS_URL, RT_PREFIX, RT_MEMBERS (JSON: channel -> users). Prints {"port": n} when ready.
 */
import { RedisBroker } from './broker/redis.js'
import { FakeMembership, startTestGateway } from './test-support.js'

const members = new FakeMembership()
for (const [channel, users] of Object.entries(
  JSON.parse(process.env.RT_MEMBERS ?? '{}') as Record<string, string[]>,
)) {
  members.add(channel, ...users)
}
const broker = new RedisBroker({ url: process.env.REDIS_URL as string, prefix: process.env.RT_PREFIX })
const gw = await startTestGateway({ authorizer: members, broker })
process.stdout.write(`${JSON.stringify({ port: gw.port })}\n`)
process.on('SIGTERM', () => gw.close().then(() => process.exit(0)))
