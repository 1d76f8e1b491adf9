import { EventEmitter } from 'node:events'
import type { Database } from '@platform/service-kit/db'
import type { App } from '@platform/service-kit/http'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { openTestDatabases, until } from '../../indexer/test-support.js'
import { PoolRegistry } from '../../market/pool-registry.js'
import { type IntelDb, intelDb } from '../tables.js'
import { intelTestApp, intelTestDeps } from '../test-app.js'
import { type ChainActivity, chainActivity } from './runtime.js'

const POOL = '0x00000000000000000000000000000000000000aa'
const TOKEN = '0x00000000000000000000000000000000000000c1'
const addr = (n: number): `0x${string}` => `0x${n.toString(16).padStart(40, '0')}`
const A = addr(0xa1)
const B = addr(0xb1)
const C = addr(0xc2)
const D = addr(0xd1)
const E = addr(0xe1)
const F = addr(0xf1)
const G = addr(0x91)
const hash = (n: number) => `0x${n.toString(16).padStart(64, '0')}`

/** The chain routes over a real database, with the scanner running against a stand-in indexer. */
describe('chain routes page, bound and cache their answers, and a reorg drops what it undid', () => {
  let app: App
  let close: () => Promise<void>
  let db: IntelDb
  let activity: ChainActivity
  const indexer = Object.assign(new EventEmitter(), { indexedBlock: null })
  let mevId = 0

  const mev = (block: number, attacker: string) =>
    db
      .insertInto('intel_mev')
      .values({
        kind: 'arbitrage',
        block_number: block,
        txs: [hash(++mevId)],
        attacker,
        victim: null,
        pools: [POOL],
        profit_token: TOKEN,
        profit: '5',
        profit_quote: null,
        details: '{}',
      })
      .execute()
  const transfer = (block: number, logIndex: number, from: string, to: string, value = '10') =>
    db
      .insertInto('intel_transfers')
      .values({
        block_number: block,
        log_index: logIndex,
        tx_hash: hash(block * 100 + logIndex),
        token: TOKEN,
        from_address: from,
        to_address: to,
        value,
      })
      .execute()
  const get = async (url: string) => {
    const response = await app.inject({ url })
    expect(response.statusCode, response.body).toBe(200)
    return response.json()
  }

  beforeAll(async () => {
    const dbs = await openTestDatabases('intel_paging', 1)
    close = dbs.close
    const registry = new PoolRegistry()
    registry.setPool({
      address: POOL,
      token0: TOKEN,
      token1: addr(0xc9),
      reserve0: 1n,
      reserve1: 1n,
      totalSupply: 1n,
      updatedBlock: 1,
    })
    const deps = intelTestDeps('intel-paging-test', dbs.databases[0] as Database, registry, { indexer })
    db = intelDb(deps)
    // The scanner has passed block 100.
    await db.insertInto('intel_scan_cursor').values({ id: 'chain-scanner', block_number: 100 }).execute()
    for (const [block, who] of [
      [10, A],
      [20, A],
      [20, B],
      [30, C],
      [60, A],
      [70, D],
    ] as const)
      await mev(block, who)
    await transfer(5, 0, A, B)
    await transfer(6, 0, A, B)
    await transfer(7, 0, A, B)
    await transfer(8, 0, B, C)
    await transfer(9, 0, C, D)
    await transfer(9, 1, A, POOL)
    await transfer(9, 2, POOL, E)
    await db
      .insertInto('intel_txs')
      .values({
        hash: hash(1),
        block_number: 9,
        tx_index: 3,
        from_address: A,
        to_address: F,
        value: '7',
        selector: null,
        block_time: new Date().toISOString(),
      })
      .execute()
    activity = chainActivity(deps)
    await activity.start()
    expect(activity.scanned).toBe(100)
    app = await intelTestApp('intel-paging-test', deps)
  }, 60_000)

  afterAll(async () => {
    await activity?.stop()
    await app?.close()
    await close?.()
  })

  it('pages /mev in block order with nextCursor until null, no finding twice or missed', async () => {
    const seen: Array<{ blockNumber: number; attacker: string }> = []
    let cursor: string | null = null
    let pages = 0
    do {
      const page = await get(
        `/v1/intel/mev?fromBlock=0&toBlock=100&limit=4${cursor ? `&cursor=${cursor}` : ''}`,
      )
      expect(page.findings.length).toBeLessThanOrEqual(4)
      seen.push(...page.findings)
      cursor = page.nextCursor
      pages++
    } while (cursor !== null)
    expect(pages).toBe(2)
    expect(seen.map((f) => f.blockNumber)).toEqual([10, 20, 20, 30, 60, 70])
    expect(seen.map((f) => f.attacker)).toEqual([A, A, B, C, A, D])
    // the default page holds all six, with no next page
    const all = await get('/v1/intel/mev?fromBlock=0&toBlock=100')
    expect(all.findings).toHaveLength(6)
    expect(all.nextCursor).toBeNull()
    expect(all.scannedTo).toBe(100)
  })

  it('keeps a scanned range as final until a reorg, then answers without what the reorg undid', async () => {
    const url = '/v1/intel/mev?fromBlock=0&toBlock=100&limit=10'
    expect((await get(url)).findings).toHaveLength(6)
    // A row written behind the scanner's back is not seen: the scanned range is served from the cache.
    await mev(40, E)
    expect((await get(url)).findings).toHaveLength(6)
    // A range past the scanner keys on its block: it sees the row once the scanner moves.
    const open = '/v1/intel/mev?fromBlock=0&toBlock=200&limit=10'
    expect((await get(open)).findings).toHaveLength(7)
    await mev(150, E)
    expect((await get(open)).findings).toHaveLength(7)
    activity.scanned = 160
    expect((await get(open)).findings.map((f: { blockNumber: number }) => f.blockNumber)).toContain(150)
    // The indexer rolls back above block 50: the scanner deletes what it stored there.
    const epoch = activity.epoch
    indexer.emit('reorg', { fork: 50 })
    await until(async () => activity.epoch === epoch + 2, 10_000, 'the scan rollback')
    expect(activity.scanned).toBe(50)
    const after = await get(url)
    expect(after.findings.map((f: { blockNumber: number }) => f.blockNumber)).toEqual([10, 20, 20, 30, 40])
  })

  it('walks /graph from memory with node and edge caps, pools as leaves, nearest first', async () => {
    const graph = await get(`/v1/intel/graph/${A}?depth=2`)
    const nodes = new Map(graph.nodes.map((n: { address: string; depth: number }) => [n.address, n.depth]))
    expect(Object.fromEntries(nodes)).toEqual({ [A]: 0, [B]: 1, [POOL]: 1, [F]: 1, [C]: 2 })
    expect(graph.truncated).toBe(false)
    const ab = graph.edges.find((e: { from: string; to: string }) => e.from === A && e.to === B)
    expect(ab).toMatchObject({ token: TOKEN, transfers: 3, total: '30' })
    expect(ab.evidence).toEqual([hash(700), hash(600), hash(500)])
    expect(graph.edges.find((e: { token: string | null }) => e.token === null)).toMatchObject({
      from: A,
      to: F,
      total: '7',
    })
    const few = await get(`/v1/intel/graph/${A}?depth=2&limit=2`)
    expect(few.nodes).toHaveLength(2)
    expect(few.truncated).toBe(true)
    const oneEdge = await get(`/v1/intel/graph/${A}?depth=2&edgeLimit=1`)
    expect(oneEdge.edges).toHaveLength(1)
    expect(oneEdge.truncated).toBe(true)
  })

  it('brings /graph to each new scanned block and rebuilds it after a reorg', async () => {
    await transfer(51, 0, A, G)
    expect(
      (await get(`/v1/intel/graph/${A}`)).nodes.map((n: { address: string }) => n.address),
    ).not.toContain(G)
    activity.scanned = 51
    expect((await get(`/v1/intel/graph/${A}`)).nodes.map((n: { address: string }) => n.address)).toContain(G)
    const epoch = activity.epoch
    indexer.emit('reorg', { fork: 50 })
    await until(async () => activity.epoch === epoch + 2, 10_000, 'the scan rollback')
    expect(
      (await get(`/v1/intel/graph/${A}`)).nodes.map((n: { address: string }) => n.address),
    ).not.toContain(G)
  })

  it('refuses a malformed cursor and a page past the bound with the field path', async () => {
    for (const [url, path] of [
      ['/v1/intel/mev?fromBlock=0&toBlock=1&cursor=abc', '/cursor'],
      ['/v1/intel/mev?fromBlock=0&toBlock=1&limit=501', '/limit'],
      [`/v1/intel/graph/${A}?limit=201`, '/limit'],
      [`/v1/intel/graph/${A}?edgeLimit=0`, '/edgeLimit'],
    ] as const) {
      const response = await app.inject({ url })
      expect(response.statusCode, url).toBe(400)
      expect(response.json().errors.map((e: { path: string }) => e.path)).toContain(path)
    }
  })
})
