/**
 * Intelligence evaluation (issue 12): runs the embedded chain with every planted actor for a
 * fixed seed and length, lets the services' workers catch up, and scores each detector against
 * the actors' labels (precision, recall, cases), for three seeds. Then loads each intelligence
 * route at a fixed 250 requests/s while the chain keeps trading, and reports p95 latency of each
 * route and of the pipeline's per-event processing (outbox write to applied) in the same run.
 *
 * Targets (the issue's): precision ≥ 0.95 and recall ≥ 0.9 for sandwiches, arbitrage and
 * honeypots; precision ≥ 0.9 and recall ≥ 0.8 for wash trading; fraud (risk) p95 < 200 ms and
 * data processing < 300 ms per event at 200+ requests/s, aiming at 5× headroom (40 ms, 60 ms).
 *
 *   npm run bench -- intel-chain          (DATABASE_URL defaults to the local PostgreSQL)
 */
import { mkdir, readFile, rm } from 'node:fs/promises'
import { loadavg } from 'node:os'
import { monitorEventLoopDelay } from 'node:perf_hooks'
import { fileURLToPath } from 'node:url'
import { sql } from 'kysely'
import type { Address } from 'viem'
import { chainActivity } from '../packages/dex-server/src/intel/chain/runtime.js'
import { PIPELINE_STAGES } from '../packages/dex-server/src/intel/pipeline/consumer.js'
import { pipelineRuntime } from '../packages/dex-server/src/intel/pipeline/runtime.js'
import { riskRuntime } from '../packages/dex-server/src/intel/risk/runtime.js'
import { type DexServer, startDexServer } from '../packages/dex-server/src/main.js'
import { ACTOR_NAMES, createPlantedActors } from '../packages/dex-server/src/simulator/actors/index.js'
import { fileLabelSink, type GroundTruth } from '../packages/dex-server/src/simulator/actors/labels.js'
import { MarketSimulator } from '../packages/dex-server/src/simulator/simulator.js'
import { loadRouteInChild, type RouteLoad } from './intel-chain/load.js'
import { type DetectorScore, meets, p95, score } from './intel-chain/score.js'

const SEEDS = (process.env.INTEL_BENCH_SEEDS ?? '42,7,1234').split(',').map(Number)
// Long enough for the pools to build the volume history (8 windows of 25 blocks) the volume
// boosters' bursts, from tick 210 on, are abnormal against.
const TICKS = Number(process.env.INTEL_BENCH_TICKS ?? 300)
const LOAD_RATE = 250
const LOAD_SECONDS = 4
const RESULTS = fileURLToPath(new URL('./results/intel-chain/', import.meta.url))

const TARGETS = {
  sandwich: { precision: 0.95, recall: 0.9 },
  arbitrage: { precision: 0.95, recall: 0.9 },
  honeypot: { precision: 0.95, recall: 0.9 },
  wash: { precision: 0.9, recall: 0.8 },
  // not in the issue; held to wash trading's bar
  abnormalVolume: { precision: 0.9, recall: 0.8 },
  riskP95Ms: 200,
  pipelineP95Ms: 300,
  headroom: 5,
}

async function until(what: string, probe: () => Promise<boolean> | boolean, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

const mine = (server: DexServer) => server.deps.chain.rpc.request({ method: 'evm_mine', params: [] })

/** Starts a DEX with every service but no simulator of its own; the bench drives the market and the blocks. */
export async function startSeeded(seed: number, labelsPath: string) {
  const schema = `bench_intel_${seed}_${Date.now().toString(36)}`
  const server = await startDexServer({
    schema,
    env: {
      ...process.env,
      HOST: '127.0.0.1',
      PORT: '0',
      RPC_PORT: '0',
      LOG_LEVEL: 'error',
      SIM_ENABLED: 'false',
      INDEXER_POLL_MS: '50',
      // The load phase sends every request from 127.0.0.1: the per-IP limit must not answer it.
      RATE_LIMIT_IP_PER_MINUTE: '100000000',
    },
  })
  const { rpc, devAccounts, contracts, seedTokens } = server.deps.chain
  await rpc.request({ method: 'evm_setIntervalMining', params: [0] })
  await rpc.request({ method: 'evm_setAutomine', params: [true] })
  const [seeder, t1, t2, t3, t4, arbitrageur, lp1, lp2] = devAccounts as Address[]
  const traders = [t1, t2, t3, t4] as Address[]
  const actors = createPlantedActors(ACTOR_NAMES, {
    rpc,
    router: contracts.router,
    factory: contracts.factory,
    weth: contracts.weth,
    tokens: seedTokens,
    traders,
    treasury: seeder as Address,
    labels: fileLabelSink(labelsPath),
    seed,
  })
  const simulator = new MarketSimulator({
    rpc,
    router: contracts.router,
    tokens: seedTokens,
    pools: () => server.deps.registry.pools(),
    traders,
    arbitrageur: arbitrageur as Address,
    liquidityProviders: [lp1, lp2] as Address[],
    intervalMs: 1000,
    tradesPerTick: 3,
    seed,
    volatility: 0.003,
    actors,
  })
  await simulator.setupActors()
  await rpc.request({ method: 'evm_setAutomine', params: [false] })
  return { server, simulator, actors, schema }
}

export async function waitForWorkers(server: DexServer) {
  const head = Number(await server.deps.chain.rpc.request({ method: 'eth_blockNumber', params: [] }))
  await server.deps.indexer.waitForBlock(head, 120_000)
  const activity = chainActivity(server.deps)
  await until('the chain scanner', () => activity.scanned >= head)
  const tokens = server.deps.registry.tokens().length
  await until('every token analysed', async () => {
    const row = await sql<{ n: string }>`select count(*) as n from intel_contracts`.execute(
      server.deps.db.kysely,
    )
    return Number(row.rows[0]?.n ?? 0) >= tokens
  })
  await until('the risk findings', () => riskRuntime(server.deps).upToDate)
  const pipeline = pipelineRuntime(server.deps)
  // One event at a time in chain order: on a loaded machine the pipeline trails the detectors.
  await until('the pipeline', async () => (await pipeline.refresh()).lag.events === 0, 900_000)
  return head
}

/** What the simulator made an address: a labelled actor's role or one of its own dev accounts. */
function roleOf(address: string, labels: GroundTruth[], server: DexServer): string {
  for (const l of labels) {
    if (l.kind === 'clean_trader' && l.address === address) return `look-alike ${l.role}`
    if (l.kind === 'wash_trader' && l.address === address) return `wash trader (${l.ring})`
    if (l.kind === 'volume_booster' && l.address === address) return 'volume booster'
    if (l.kind === 'sandwich' && l.attacker === address) return 'sandwich bot'
    if (l.kind === 'arbitrage' && l.attacker === address) return 'cyclic arbitrageur'
  }
  const dev = server.deps.chain.devAccounts.map((a) => a.toLowerCase()).indexOf(address)
  const devRoles = [
    'treasury',
    'noise trader',
    'noise trader',
    'noise trader',
    'noise trader',
    'pool arbitrageur',
    'liquidity provider',
    'liquidity provider',
  ]
  if (dev >= 0) return devRoles[dev] ?? `dev account ${dev}`
  return 'unlabelled'
}

async function evaluate(server: DexServer, labels: GroundTruth[]) {
  const db = server.deps.db.kysely
  const mev = await db.selectFrom('intel_mev').selectAll().execute()
  const sandwichLabels = labels.filter((l) => l.kind === 'sandwich')
  const sandwichKey = (front: string, back: string) => `${front}|${back}`
  const sandwiches = score(
    new Set(sandwichLabels.map((l) => sandwichKey(l.front, l.back))),
    new Set(mev.filter((m) => m.kind === 'sandwich').map((m) => sandwichKey(m.txs[0], m.txs.at(-1)))),
    // every block with two or more swaps in one pool could have held one
    Number(
      (
        await sql<{ n: string }>`select count(*) as n from (select block_number, pool from swaps
          group by block_number, pool having count(*) >= 2) s`.execute(db)
      ).rows[0]?.n ?? 0,
    ),
  )
  const arbitrage = score(
    new Set(labels.filter((l) => l.kind === 'arbitrage').map((l) => l.tx)),
    new Set(mev.filter((m) => m.kind === 'arbitrage').map((m) => m.txs[0] as string)),
    Number(
      (await sql<{ n: string }>`select count(distinct tx_hash) as n from swaps`.execute(db)).rows[0]?.n ?? 0,
    ),
  )
  // Honeypots: every indexed token with a verdict; the seeded tokens are legitimate.
  const verdicts = await db
    .selectFrom('intel_contracts')
    .select(['address', 'honeypot'])
    .where('honeypot', 'is not', null)
    .execute()
  const honeypots = score(
    new Set(
      labels.filter((l) => l.kind === 'token' && l.honeypot).map((l) => (l as { address: string }).address),
    ),
    new Set(verdicts.filter((v) => v.honeypot).map((v) => v.address as string)),
    verdicts.length,
  )
  // Wash trading: every address that sent a swap is a case.
  const traders = await sql<{ address: string }>`
    select distinct t.from_address as address from swaps s join intel_txs t on t.hash = s.tx_hash`.execute(db)
  const flagged = await db
    .selectFrom('intel_risk_findings')
    .select('address')
    .where('code', '=', 'wash_trading')
    .execute()
  const washSet = new Set(
    labels.filter((l) => l.kind === 'wash_trader').map((l) => (l as { address: string }).address),
  )
  const wash = {
    labeledSet: washSet,
    score: score(washSet, new Set(flagged.map((f) => f.address as string)), traders.rows.length),
  }
  const lookAlikes = labels
    .filter((l) => l.kind === 'clean_trader')
    .map((l) => (l as { address: string }).address)
  const lookAlikesFlagged = lookAlikes.filter((a) => flagged.some((f) => f.address === a)).length
  const washLabeled = new Set(wash.labeledSet)
  // Abnormal volume: every address that sent a swap is a case; the volume boosters are the positives.
  const abnormalFlagged = await db
    .selectFrom('intel_risk_findings')
    .select('address')
    .where('code', '=', 'abnormal_volume')
    .execute()
  const boosters = new Set(
    labels.filter((l) => l.kind === 'volume_booster').map((l) => (l as { address: string }).address),
  )
  const abnormalPredicted = new Set(abnormalFlagged.map((f) => f.address as string))
  return {
    sandwiches,
    arbitrage,
    honeypots,
    wash: wash.score,
    washLookAlikes: { count: lookAlikes.length, flagged: lookAlikesFlagged },
    abnormalVolume: score(boosters, abnormalPredicted, traders.rows.length),
    abnormalVolumeFalsePositives: [...abnormalPredicted]
      .filter((a) => !boosters.has(a))
      .map((address) => ({ address, role: roleOf(address, labels, server) })),
    // Who each false positive is, from the labels and the simulator's own accounts, so a
    // precision below target says what the detector mistook for wash trading.
    washFalsePositives: [...new Set(flagged.map((f) => f.address as string))]
      .filter((a) => !washLabeled.has(a))
      .map((address) => ({ address, role: roleOf(address, labels, server) })),
  }
}

async function loadRoutes(
  server: DexServer,
  simulator: MarketSimulator,
  labels: GroundTruth[],
  head: number,
): Promise<{
  loadAverage1m: number
  routes: RouteLoad[]
  pipelineP95Ms: number | null
  pipelineEvents: number
  pipelineStagesP95Ms: Record<string, number | null>
  eventLoopDelayP95Ms: number
  dbRoundTripP95Ms: number | null
}> {
  const addresses = [
    ...new Set(
      labels
        .flatMap((l) => ('address' in l ? [l.address] : 'attacker' in l ? [l.attacker] : []))
        .concat(server.deps.chain.devAccounts.slice(1, 5).map((a) => a.toLowerCase())),
    ),
  ]
  const tokens = server.deps.registry.tokens().map((t) => t.address)
  const [weth, usdc] = [server.deps.chain.contracts.weth, server.deps.chain.quoteToken as string]
  const trader = server.deps.chain.devAccounts[1] as string
  const plans: Array<[string, Array<{ path: string; method?: 'GET' | 'POST'; body?: unknown }>]> = [
    // The kit's liveness route does no work: the floor the other routes are read against.
    ['GET /health/live (floor)', [{ path: '/health/live' }]],
    ['GET /v1/intel/risk/{address}', addresses.map((a) => ({ path: `/v1/intel/risk/${a}` }))],
    [
      'POST /v1/intel/risk/trade',
      addresses.slice(0, 20).map((from, i) => ({
        path: '/v1/intel/risk/trade',
        method: 'POST' as const,
        body: {
          from,
          tokenIn: weth,
          tokenOut: usdc,
          amountIn: String(10n ** 16n * BigInt(1 + (i % 7) * 40)),
        },
      })),
    ],
    ['GET /v1/intel/contracts/{address}', tokens.map((t) => ({ path: `/v1/intel/contracts/${t}` }))],
    ['GET /v1/intel/mev', [{ path: `/v1/intel/mev?fromBlock=${Math.max(0, head - 300)}&toBlock=${head}` }]],
    ['GET /v1/intel/clusters/{address}', addresses.map((a) => ({ path: `/v1/intel/clusters/${a}` }))],
    [
      'GET /v1/intel/graph/{address}?depth=2',
      addresses.map((a) => ({ path: `/v1/intel/graph/${a}?depth=2` })),
    ],
    ['GET /v1/intel/pipeline', [{ path: '/v1/intel/pipeline' }]],
    ['GET /v1/intel/pipeline/accounts/{address}', [{ path: `/v1/intel/pipeline/accounts/${trader}` }]],
  ]
  // The market keeps trading (a tick and a block every second) under the load, so the pipeline's
  // per-event latency is measured under it too.
  const stats = pipelineRuntime(server.deps).processor.stats
  const appliedBefore = stats.applied
  // The server's event loop is shared by every stage that runs in this process: its delay is the
  // floor under each of them, measured as a peer in the same run.
  const loopDelay = monitorEventLoopDelay({ resolution: 10 })
  loopDelay.enable()
  // And a database round trip from this process (one `select 1` every 50 ms), the unit every
  // pipeline stage is made of: the indexing transaction, the relay's and the consumer's.
  const roundTrips: number[] = []
  let trading = true
  const probing = (async () => {
    while (trading) {
      const started = performance.now()
      await sql`select 1`.execute(server.deps.db.kysely)
      roundTrips.push(performance.now() - started)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  const market = (async () => {
    while (trading) {
      await simulator.tick()
      await mine(server)
      await new Promise((resolve) => setTimeout(resolve, 1000))
    }
  })()
  const routes: RouteLoad[] = []
  for (const [route, requests] of plans)
    routes.push(await loadRouteInChild(server.url, route, requests, LOAD_RATE, LOAD_SECONDS))
  trading = false
  await market
  await probing
  loopDelay.disable()
  const appliedDuring = stats.applied - appliedBefore
  const during = appliedDuring > 0 ? stats.latencies.slice(-appliedDuring) : []
  const ms = (seconds: number | null) => (seconds === null ? null : Math.round(seconds * 1000 * 10) / 10)
  return {
    loadAverage1m: loadavg()[0] ?? 0,
    routes,
    pipelineP95Ms: ms(p95(during)),
    pipelineEvents: during.length,
    eventLoopDelayP95Ms: Math.round(loopDelay.percentile(95) / 1e5) / 10,
    dbRoundTripP95Ms: roundTrips.length > 0 ? Math.round((p95(roundTrips) as number) * 10) / 10 : null,
    // Where the per-event latency goes (see PipelineStage): the p95 of each stage on its own.
    pipelineStagesP95Ms: Object.fromEntries(
      PIPELINE_STAGES.map((stage) => [
        stage,
        ms(p95(appliedDuring > 0 ? stats.stages[stage].slice(-appliedDuring) : [])),
      ]),
    ),
  }
}

async function runSeed(seed: number) {
  const labelsPath = `${RESULTS}labels-seed-${seed}.jsonl`
  await rm(labelsPath, { force: true })
  const started = Date.now()
  const { server, simulator, actors } = await startSeeded(seed, labelsPath)
  try {
    for (let tick = 0; tick < TICKS; tick++) {
      await simulator.tick()
      await mine(server)
      if (tick % 20 === 0) console.log(`seed ${seed}: tick ${tick}/${TICKS}`)
    }
    await mine(server)
    for (const actor of actors) await actor.settle()
    const head = await waitForWorkers(server)
    const labels = (await readFile(labelsPath, 'utf8'))
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as GroundTruth)
    const detectors = await evaluate(server, labels)
    const load =
      seed === SEEDS[0] && process.env.INTEL_BENCH_LOAD !== 'false'
        ? await loadRoutes(server, simulator, labels, head)
        : null
    return {
      seed,
      ticks: TICKS,
      blocks: head,
      seconds: Math.round((Date.now() - started) / 1000),
      detectors,
      load,
    }
  } finally {
    await server.close()
  }
}

export async function run() {
  await mkdir(RESULTS, { recursive: true })
  const seeds: Array<Awaited<ReturnType<typeof runSeed>>> = []
  for (const seed of SEEDS) seeds.push(await runSeed(seed))
  const all = (
    pick: (d: (typeof seeds)[number]['detectors']) => DetectorScore,
    t: { precision: number; recall: number },
  ) => seeds.every((s) => meets(pick(s.detectors), t.precision, t.recall))
  const load = seeds[0]?.load
  const riskP95 = Math.max(
    ...(load?.routes
      .filter((r) => r.route.includes('/risk'))
      .map((r) => r.p95Ms ?? Number.POSITIVE_INFINITY) ?? [Number.POSITIVE_INFINITY]),
  )
  return {
    targets: TARGETS,
    // On a shared 2-core machine the load average moves latency more than anything else.
    loadAverage1mAtEnd: loadavg()[0] ?? 0,
    seeds,
    targetsMet: {
      sandwich: all((d) => d.sandwiches, TARGETS.sandwich),
      arbitrage: all((d) => d.arbitrage, TARGETS.arbitrage),
      honeypot: all((d) => d.honeypots, TARGETS.honeypot),
      wash: all((d) => d.wash, TARGETS.wash),
      abnormalVolume: all((d) => d.abnormalVolume, TARGETS.abnormalVolume),
      riskP95: riskP95 < TARGETS.riskP95Ms,
      riskP95With5xHeadroom: riskP95 < TARGETS.riskP95Ms / TARGETS.headroom,
      pipelineP95: (load?.pipelineP95Ms ?? Number.POSITIVE_INFINITY) < TARGETS.pipelineP95Ms,
      everyRouteAt200PerSecond:
        load?.routes.every((r) => r.achievedPerSecond >= 200 && r.errors === 0) ?? false,
    },
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  console.log(JSON.stringify(await run(), null, 2))
}
