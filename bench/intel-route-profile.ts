/**
 * Cost of one intelligence route per call, for profiling (issue: intel latency): starts the DEX the
 * way intel-chain does with a short simulation (INTEL_BENCH_TICKS, default 100), then calls each
 * route `INTEL_PROFILE_CALLS` times one after another (closed loop, in process, no network) and
 * prints the mean and p95 milliseconds per call. With INTEL_PROFILE_OUT=dir it writes a CPU profile
 * of each route's calls (`<dir>/<route>.cpuprofile`, open in Chrome DevTools). With argument
 * `workers` it instead lets the market trade one tick a second for 12 s, as intel-chain's load
 * phase does, and reports the event loop's delay and what the workers' periodic steps take.
 *
 *   INTEL_BENCH_TICKS=100 DATABASE_URL=... npx tsx bench/intel-route-profile.ts [route-substring]
 */
import { rm, writeFile } from 'node:fs/promises'
import { Session } from 'node:inspector/promises'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { refreshClusters } from '../packages/dex-server/src/intel/chain/clusters.js'
import { riskRuntime } from '../packages/dex-server/src/intel/risk/runtime.js'
import { startSeeded, waitForWorkers } from './intel-chain.js'

const TICKS = Number(process.env.INTEL_BENCH_TICKS ?? 100)
const CALLS = Number(process.env.INTEL_PROFILE_CALLS ?? 200)
const only = process.argv[2]
const labels = fileURLToPath(new URL('./results/intel-chain/labels-profile.jsonl', import.meta.url))

await rm(labels, { force: true })
const { server, simulator, actors } = await startSeeded(42, labels)
try {
  for (let tick = 0; tick < TICKS; tick++) {
    await simulator.tick()
    await server.deps.chain.rpc.request({ method: 'evm_mine', params: [] })
  }
  await server.deps.chain.rpc.request({ method: 'evm_mine', params: [] })
  for (const actor of actors) await actor.settle()
  const head = await waitForWorkers(server)
  const trader = (server.deps.chain.devAccounts[1] as string).toLowerCase()
  const token = server.deps.registry.tokens()[0]?.address as string
  const routes: Array<[string, { method?: 'GET' | 'POST'; url: string; payload?: unknown }]> = [
    ['live', { url: '/health/live' }],
    ['mev', { url: `/v1/intel/mev?fromBlock=${Math.max(0, head - 300)}&toBlock=${head}` }],
    ['graph', { url: `/v1/intel/graph/${trader}?depth=2` }],
    ['accounts', { url: `/v1/intel/pipeline/accounts/${trader}` }],
    ['contracts', { url: `/v1/intel/contracts/${token}` }],
    [
      'trade',
      {
        method: 'POST',
        url: '/v1/intel/risk/trade',
        payload: {
          from: trader,
          tokenIn: server.deps.chain.contracts.weth,
          tokenOut: server.deps.chain.quoteToken,
          amountIn: '10000000000000000',
        },
      },
    ],
  ]
  const app = server.app
  if (only === 'workers') {
    const delay = monitorEventLoopDelay({ resolution: 5 })
    delay.enable()
    const timed = async (name: string, step: () => Promise<unknown>) => {
      const started = performance.now()
      await step()
      console.log(`${name.padEnd(28)} ${(performance.now() - started).toFixed(1)} ms`)
    }
    for (let second = 0; second < 12; second++) {
      await timed('market tick', () => simulator.tick())
      await timed('mine', () => server.deps.chain.rpc.request({ method: 'evm_mine', params: [] }))
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
    delay.disable()
    const ms = (ns: number) => (ns / 1e6).toFixed(1)
    console.log(
      `event loop delay over 12 s of trading: p50 ${ms(delay.percentile(50))} p99 ${ms(delay.percentile(99))} max ${ms(delay.max)} ms`,
    )
    await timed('risk refresh (findings)', () => riskRuntime(server.deps).refresh())
    await timed('clusters refresh', () => refreshClusters(server.deps.db.kysely, 0))
  }
  for (const [name, request] of routes) {
    if (only && !name.includes(only)) continue
    const times: number[] = []
    let bytes = 0
    const session = process.env.INTEL_PROFILE_OUT ? new Session() : null
    if (session) {
      session.connect()
      await session.post('Profiler.enable')
      await session.post('Profiler.start')
    }
    for (let i = 0; i < CALLS; i++) {
      const started = performance.now()
      const response = await app.inject({
        method: request.method ?? 'GET',
        url: request.url,
        payload: request.payload as object,
      })
      times.push(performance.now() - started)
      bytes = response.body.length
      if (response.statusCode !== 200) throw new Error(`${name}: ${response.statusCode} ${response.body}`)
    }
    if (session) {
      const { profile } = await session.post('Profiler.stop')
      await writeFile(`${process.env.INTEL_PROFILE_OUT}/${name}.cpuprofile`, JSON.stringify(profile))
      session.disconnect()
    }
    times.sort((a, b) => a - b)
    const mean = times.reduce((a, b) => a + b, 0) / times.length
    console.log(
      `${name.padEnd(10)} mean ${mean.toFixed(2)} ms  p50 ${times[Math.floor(CALLS / 2)]?.toFixed(2)}  p95 ${times[Math.floor(CALLS * 0.95)]?.toFixed(2)}  ${bytes} bytes`,
    )
  }
} finally {
  await server.close()
}
