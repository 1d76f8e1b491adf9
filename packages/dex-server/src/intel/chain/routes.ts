import { problems } from '@platform/service-kit/http'
import { Type } from '@sinclair/typebox'
import type { DexPlugin } from '../../app.js'
import { AddressSchema } from '../../market/schemas.js'
import { BigintParam } from '../schemas.js'
import { intelDb } from '../tables.js'
import type { ClusterEdge } from './clusters.js'
import { MAX_DEPTH, transactionGraph } from './graph.js'
import { chainActivity } from './runtime.js'

/** The widest block range one /mev request may ask for. */
export const MAX_MEV_RANGE = 5_000

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

  app.get(
    '/mev',
    {
      schema: {
        summary: `Sandwiches and cyclic arbitrage in a block range (at most ${MAX_MEV_RANGE} blocks)`,
        tags: ['intel'],
        querystring: Type.Object(
          { fromBlock: BigintParam({ minimum: 0 }), toBlock: BigintParam({ minimum: 0 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            fromBlock: Type.Integer(),
            toBlock: Type.Integer(),
            scannedTo: Type.Integer(),
            findings: Type.Array(MevSchema),
          }),
        },
      },
    },
    async (request) => {
      const { fromBlock, toBlock } = request.query
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
      const rows = await db
        .selectFrom('intel_mev')
        .selectAll()
        .where('block_number', '>=', String(fromBlock))
        .where('block_number', '<=', String(toBlock))
        .orderBy('block_number')
        .orderBy('id')
        .execute()
      return {
        fromBlock,
        toBlock,
        scannedTo: activity.scanned,
        findings: rows.map((r) => ({
          kind: r.kind,
          blockNumber: Number(r.block_number),
          transactions: r.txs as string[],
          attacker: r.attacker,
          victim: r.victim,
          pools: r.pools as string[],
          profitToken: r.profit_token,
          profit: String(r.profit),
          profitQuote: r.profit_quote === null ? null : String(r.profit_quote),
        })),
      }
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
        summary: `Transaction graph around the address: counterparties and value flows, up to ${MAX_DEPTH} hops`,
        tags: ['intel'],
        params: Type.Object({ address: AddressSchema }),
        querystring: Type.Object(
          { depth: Type.Integer({ minimum: 1, maximum: MAX_DEPTH, default: 1 }) },
          { additionalProperties: false },
        ),
        response: {
          200: Type.Object({
            address: Type.String(),
            depth: Type.Integer(),
            truncated: Type.Boolean(),
            nodes: Type.Array(
              Type.Object({ address: Type.String(), depth: Type.Integer(), kind: Type.String() }),
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
    async (request) => transactionGraph(db, request.params.address.toLowerCase(), request.query.depth),
  )
}
