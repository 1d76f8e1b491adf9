import { problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../../app.js'
import { AddressSchema } from '../../market/schemas.js'
import { AnswerCache, sendSerialized } from '../answer-cache.js'
import { BigintParam } from '../schemas.js'
import { intelDb } from '../tables.js'
import type { ClusterEdge } from './clusters.js'
import { GRAPH_EDGES, GRAPH_NODES, MAX_DEPTH } from './graph.js'
import { MAX_MEV_RANGE, MEV_CURSOR_PATTERN, MEV_PAGE, mevPage } from './mev-page.js'
import { chainActivity } from './runtime.js'
import { scannedBlock } from './scanner.js'

export { MAX_MEV_RANGE }

const Nullable = <T extends Parameters<typeof Type.Union>[0][number]>(schema: T) =>
  Type.Union([schema, Type.Null()])
const Amount = Type.String({ pattern: '^-?[0-9]+$' })

const ContractSchema = Type.Object({
  address: Type.String(),
  isContract: Type.Boolean(),
  codeSize: Type.Integer(),
  functions: Type.Array(
    Type.Object({ selector: Type.String(), signature: Nullable(Type.String()), abi: Type.Unknown() }),
  ),
  proxy: Nullable(Type.Object({ kind: Type.String(), implementation: Nullable(Type.String()) })),
  erc20: Nullable(
    Type.Object({
      name: Nullable(Type.String()),
      symbol: Nullable(Type.String()),
      decimals: Nullable(Type.Integer()),
      totalSupply: Amount,
    }),
  ),
  honeypot: Nullable(
    Type.Object({
      pool: Type.String(),
      amountIn: Amount,
      buyOk: Type.Boolean(),
      sellOk: Type.Boolean(),
      buyTaxBps: Nullable(Type.Integer()),
      sellTaxBps: Nullable(Type.Integer()),
      honeypot: Type.Boolean(),
      reason: Nullable(Type.String()),
    }),
  ),
  honeypotSkipped: Nullable(Type.String()),
  analyzedAt: Type.String(),
})

const MevSchema = Type.Object({
  kind: Type.Union([Type.Literal('sandwich'), Type.Literal('arbitrage')]),
  blockNumber: Type.Integer(),
  transactions: Type.Array(Type.String(), {
    description: 'sandwich: front-run, victims, back-run; arbitrage: the one transaction',
  }),
  attacker: Type.String(),
  victim: Nullable(Type.String()),
  pools: Type.Array(Type.String()),
  profitToken: Type.String(),
  profit: Amount,
  profitQuote: Nullable(Amount),
})

export const chainRoutes: DexPlugin = async (app, deps) => {
  const db = intelDb(deps)
  const activity = chainActivity(deps)
  /** /graph answers, serialized, for the flow graph's current version (one block, one reorg epoch). */
  const graphAnswers = new AnswerCache()

  app.get(
    '/contracts/:address',
    {
      schema: {
        summary:
          'Selectors and ABI recovered from bytecode, proxy and implementation, ERC-20 facts, honeypot simulation',
        tags: ['intel'],
        params: Type.Object({ address: AddressSchema }),
        response: { 200: ContractSchema },
      },
    },
    async (request) => {
      const address = request.params.address.toLowerCase()
      const row = await db
        .selectFrom('intel_contracts')
        .selectAll()
        .where('address', '=', address)
        .executeTakeFirst()
      // The worker re-analyses indexed tokens every few minutes; other addresses are analysed once here.
      if (row) {
        const analysis = typeof row.analysis === 'string' ? JSON.parse(row.analysis) : row.analysis
        return { ...analysis, analyzedAt: new Date(row.analyzed_at).toISOString() }
      }
      return { ...(await activity.analyze(address)), analyzedAt: new Date().toISOString() }
    },
  )

  /**
   * /mev answers, serialized. A range the scanner has passed is final until a reorg: its pages are
   * kept under the reorg epoch alone; a range reaching past the scanner also keys on its block.
   * Only while this process's scanner runs: without it neither the block nor reorgs are seen.
   */
  const mevAnswers = new AnswerCache()
  app.get(
    '/mev',
    {
      schema: {
        summary: `Sandwiches and cyclic arbitrage in a block range (at most ${MAX_MEV_RANGE} blocks), a page at a time in block order (pass \`nextCursor\` as \`cursor\`)`,
        tags: ['intel'],
        querystring: Type.Object(
          {
            fromBlock: BigintParam({ minimum: 0 }),
            toBlock: BigintParam({ minimum: 0 }),
            limit: Type.Integer({ minimum: 1, maximum: MEV_PAGE.max, default: MEV_PAGE.default }),
            cursor: Type.Optional(
              Type.String({ pattern: MEV_CURSOR_PATTERN, description: "a previous page's nextCursor" }),
            ),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            fromBlock: Type.Integer(),
            toBlock: Type.Integer(),
            scannedTo: Type.Integer({
              description:
                "the scanner's block when the page was read; a range at or below it is final (until a reorg)",
            }),
            findings: Type.Array(MevSchema),
            nextCursor: Nullable(
              Type.String({ description: "the next page's cursor; null on the last page" }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const { fromBlock, toBlock, limit, cursor } = request.query
      if (toBlock < fromBlock) {
        throw problems.badRequest('toBlock is before fromBlock', 'invalid_range', [
          { path: '/toBlock', message: 'must be at least fromBlock', in: 'querystring' },
        ])
      }
      if (toBlock - fromBlock + 1 > MAX_MEV_RANGE) {
        throw problems.badRequest(`at most ${MAX_MEV_RANGE} blocks per request`, 'range_too_large', [
          { path: '/toBlock', message: `must be below fromBlock + ${MAX_MEV_RANGE}`, in: 'querystring' },
        ])
      }
      const scannedTo = activity.scanned
      const cacheable = activity.alive
      const version = String(activity.epoch)
      const key = `${fromBlock}|${toBlock}|${limit}|${cursor ?? ''}|${toBlock <= scannedTo ? 'final' : scannedTo}`
      const cached = cacheable ? mevAnswers.get(version, key) : undefined
      if (cached !== undefined) return sendSerialized(reply, cached)
      const page = await mevPage(db, { fromBlock, toBlock }, limit, cursor)
      const body = String(reply.serialize({ fromBlock, toBlock, scannedTo, ...page }))
      if (cacheable) mevAnswers.set(version, String(activity.epoch), key, body)
      return sendSerialized(reply, body)
    },
  )

  app.get(
    '/clusters/:address',
    {
      schema: {
        summary: "The address's cluster (shared funding source, tightly timed trades) with the evidence",
        tags: ['intel'],
        params: Type.Object({ address: AddressSchema }),
        response: {
          200: Type.Object({
            address: Type.String(),
            clusterId: Nullable(Type.String()),
            members: Type.Array(Type.String()),
            evidence: Type.Array(
              Type.Object({
                a: Type.String(),
                b: Type.String(),
                kind: Type.String(),
                evidence: Type.Array(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async (request) => {
      const address = request.params.address.toLowerCase()
      const row = await db
        .selectFrom('intel_clusters')
        .selectAll()
        .where('address', '=', address)
        .executeTakeFirst()
      if (!row) return { address, clusterId: null, members: [address], evidence: [] }
      const members = await db
        .selectFrom('intel_clusters')
        .selectAll()
        .where('cluster_id', '=', row.cluster_id)
        .orderBy('address')
        .limit(500)
        .execute()
      const evidence = members.flatMap((m) =>
        typeof m.evidence === 'string' ? JSON.parse(m.evidence) : m.evidence,
      )
      const unique = [...new Map(evidence.map((e: ClusterEdge) => [`${e.a}|${e.b}|${e.kind}`, e])).values()]
      return { address, clusterId: row.cluster_id, members: members.map((m) => m.address), evidence: unique }
    },
  )

  app.get(
    '/graph/:address',
    {
      schema: {
        summary: `Transaction graph around the address: counterparties and value flows, up to ${MAX_DEPTH} hops, at most \`limit\` nodes and \`edgeLimit\` edges (\`truncated\` says a bound cut it)`,
        tags: ['intel'],
        params: Type.Object({ address: AddressSchema }),
        querystring: Type.Object(
          {
            depth: Type.Integer({ minimum: 1, maximum: MAX_DEPTH, default: 1 }),
            limit: Type.Integer({
              minimum: 1,
              maximum: GRAPH_NODES.max,
              default: GRAPH_NODES.default,
              description: 'most nodes (the address included), nearest first',
            }),
            edgeLimit: Type.Integer({
              minimum: 1,
              maximum: GRAPH_EDGES.max,
              default: GRAPH_EDGES.default,
              description: 'most edges',
            }),
          },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            address: Type.String(),
            depth: Type.Integer(),
            truncated: Type.Boolean(),
            nodes: Type.Array(
              Type.Object({
                address: Type.String(),
                depth: Type.Integer({ description: 'hops from the address (either direction)' }),
                kind: Type.String(),
              }),
            ),
            edges: Type.Array(
              Type.Object({
                from: Type.String(),
                to: Type.String(),
                token: Nullable(Type.String()),
                transfers: Type.Integer(),
                total: Amount,
                evidence: Type.Array(Type.String()),
              }),
            ),
          }),
        },
      },
    },
    async (request, reply) => {
      const address = request.params.address.toLowerCase()
      const { depth, limit, edgeLimit } = request.query
      // Without this process's scanner there are neither its block nor its reorgs: read the cursor.
      const scanned = activity.alive ? activity.scanned : await scannedBlock(db)
      await activity.flows.sync(scanned, activity.epoch)
      const version = activity.flows.version
      const key = `${address}|${depth}|${limit}|${edgeLimit}`
      const cached = graphAnswers.get(version, key)
      if (cached !== undefined) return sendSerialized(reply, cached)
      const pools = new Set(deps.registry.pools().map((p) => p.address.toLowerCase()))
      const answer = activity.flows.walk(address, depth, { maxNodes: limit, maxEdges: edgeLimit }, pools)
      const body = String(reply.serialize(answer))
      graphAnswers.set(version, activity.flows.version, key, body)
      return sendSerialized(reply, body)
    },
  )
}
