import { sql } from 'kysely'
import { clustersOf, fundingEdges } from '../chain/clusters.js'
import type { IntelDb } from '../tables.js'
import { findAbnormalVolume } from './abnormal-volume.js'
import { findWashTrading, positionChanges, type SwapLeg } from './wash.js'

/** Reason codes with their weight in the 0–100 score. */
export const WEIGHTS = {
  wash_trading: 60,
  flagged_contract_interaction: 40,
  mev_sandwich_attacker: 35,
  abnormal_volume: 20,
  cluster_member_flagged: 15,
} as const
export type FindingCode = keyof typeof WEIGHTS

export interface Finding {
  address: string
  code: FindingCode
  detail: string
  evidence: string[]
}

async function swapsSince(db: IntelDb, sinceBlock: number): Promise<SwapLeg[]> {
  const rows = await sql<Record<string, string>>`
    select s.block_number, s.log_index, s.tx_hash, s.pool, p.token0, p.token1, s.amount0_in, s.amount1_in,
      s.amount0_out, s.amount1_out, t.from_address
    from swaps s join pools p on p.address = s.pool join intel_txs t on t.hash = s.tx_hash
    where s.block_number >= ${sinceBlock}`.execute(db)
  return rows.rows.map((r) => {
    const zeroIn = BigInt(r.amount0_in as string) > 0n
    return {
      blockNumber: Number(r.block_number),
      logIndex: Number(r.log_index),
      txHash: r.tx_hash as string,
      trader: r.from_address as string,
      pool: r.pool as string,
      tokenIn: (zeroIn ? r.token0 : r.token1) as string,
      tokenOut: (zeroIn ? r.token1 : r.token0) as string,
      amountIn: BigInt((zeroIn ? r.amount0_in : r.amount1_in) as string),
      amountOut: BigInt((zeroIn ? r.amount1_out : r.amount0_out) as string),
    }
  })
}

/**
 * Runs every detector over the blocks since `sinceBlock` (a bounded window) and returns the
 * findings per address: wash trading, abnormal volume, sandwich attacks, honeypot interaction,
 * and membership of a cluster with a wash trader.
 */
export async function computeFindings(
  db: IntelDb,
  sinceBlock: number,
): Promise<{ findings: Finding[]; legs: SwapLeg[] }> {
  const swaps = await swapsSince(db, sinceBlock)
  // Wash groups come from shared funding alone: timing links also catch bots that react to the
  // washers' price moves (an arbitrageur trades right after them), which would merge the groups.
  const clusterOf = new Map<string, string>()
  for (const cluster of clustersOf(await fundingEdges(db, sinceBlock)))
    for (const member of cluster.members) clusterOf.set(member, cluster.id)
  const findings: Finding[] = []

  const wash = findWashTrading(positionChanges(swaps), (address) => clusterOf.get(address))
  for (const w of wash) {
    findings.push({
      address: w.address,
      code: 'wash_trading',
      detail: `${w.roundTrips} round trips that returned the bought amount${clusterOf.has(w.address) ? ' within its cluster' : ''}`,
      evidence: w.evidence,
    })
  }
  const washed = new Set(wash.map((w) => w.address))
  const washClusters = new Set(wash.map((w) => clusterOf.get(w.address)).filter((c) => c !== undefined))
  for (const [address, cluster] of clusterOf) {
    if (washClusters.has(cluster) && !washed.has(address)) {
      findings.push({
        address,
        code: 'cluster_member_flagged',
        detail: `cluster ${cluster} has a wash trader`,
        evidence: [],
      })
    }
  }

  const abnormal = findAbnormalVolume(
    swaps.map((t) => ({
      blockNumber: t.blockNumber,
      txHash: t.txHash,
      trader: t.trader,
      pool: t.pool,
      volume0: t.tokenIn < t.tokenOut ? t.amountIn : t.amountOut,
    })),
  )
  const abnormalBy = new Map<string, string[]>()
  for (const a of abnormal)
    for (const c of a.contributors)
      abnormalBy.set(c.address, [...(abnormalBy.get(c.address) ?? []), ...c.evidence].slice(0, 20))
  for (const [address, evidence] of abnormalBy)
    findings.push({
      address,
      code: 'abnormal_volume',
      detail: 'drove a pool volume window far above its history',
      evidence,
    })

  const sandwiches = await sql<{ attacker: string; txs: string[] }>`
    select attacker, txs from intel_mev where kind = 'sandwich' and block_number >= ${sinceBlock}`.execute(db)
  const attackers = new Map<string, string[]>()
  for (const s of sandwiches.rows)
    attackers.set(s.attacker, [...(attackers.get(s.attacker) ?? []), ...s.txs].slice(0, 20))
  for (const [address, evidence] of attackers)
    findings.push({
      address,
      code: 'mev_sandwich_attacker',
      detail: 'front- and back-ran other traders',
      evidence,
    })

  const flagged = await sql<{ address: string; hash: string }>`
    select distinct on (t.to_address, t.tx_hash) t.to_address as address, t.tx_hash as hash
    from intel_transfers t join intel_contracts c on c.address = t.token and c.honeypot
    where t.block_number >= ${sinceBlock} and t.to_address not in (select address from pools)`.execute(db)
  const touched = new Map<string, string[]>()
  for (const f of flagged.rows)
    touched.set(f.address, [...(touched.get(f.address) ?? []), f.hash].slice(0, 20))
  for (const [address, evidence] of touched)
    findings.push({
      address,
      code: 'flagged_contract_interaction',
      detail: 'received a token flagged as a honeypot',
      evidence,
    })
  return { findings, legs: swaps }
}

/** Replaces the stored findings with a fresh computation; returns it with the swaps it read. */
export async function refreshFindings(
  db: IntelDb,
  sinceBlock: number,
): Promise<{ findings: Finding[]; legs: SwapLeg[] }> {
  const { findings, legs } = await computeFindings(db, sinceBlock)
  await db.transaction().execute(async (trx) => {
    await trx.deleteFrom('intel_risk_findings').execute()
    const rows = findings.map((f) => ({
      address: f.address,
      code: f.code,
      weight: WEIGHTS[f.code],
      detail: f.detail,
      evidence: f.evidence,
    }))
    for (let i = 0; i < rows.length; i += 1000)
      await trx
        .insertInto('intel_risk_findings')
        .values(rows.slice(i, i + 1000))
        .execute()
  })
  return { findings, legs }
}

/** Tokens the contract analysis flagged as honeypots, with why and the pool it simulated on. */
export async function honeypotVerdicts(
  db: IntelDb,
): Promise<Map<string, { reason: string; pool: string | null }>> {
  const rows = await db
    .selectFrom('intel_contracts')
    .select(['address', 'analysis'])
    .where('honeypot', '=', true)
    .execute()
  return new Map(
    rows.map((row) => {
      const analysis = typeof row.analysis === 'string' ? JSON.parse(row.analysis) : row.analysis
      return [
        row.address as string,
        { reason: analysis?.honeypot?.reason ?? 'sell blocked', pool: analysis?.honeypot?.pool ?? null },
      ]
    }),
  )
}
