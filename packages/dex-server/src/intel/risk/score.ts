import type { Kysely } from 'kysely'

export type RiskLevel = 'low' | 'medium' | 'high' | 'critical'

export interface RiskReason {
  code: string
  weight: number
  detail: string
  evidence: string[]
}

export interface RiskScore {
  score: number
  level: RiskLevel
  reasons: RiskReason[]
}

export function levelOf(score: number): RiskLevel {
  if (score >= 75) return 'critical'
  if (score >= 50) return 'high'
  if (score >= 25) return 'medium'
  return 'low'
}

/** Sum of reason weights, capped at 100. */
export function scoreOf(reasons: RiskReason[]): RiskScore {
  const score = Math.min(
    100,
    reasons.reduce((sum, r) => sum + r.weight, 0),
  )
  return { score, level: levelOf(score), reasons: [...reasons].sort((a, b) => b.weight - a.weight) }
}

/** The stored findings of one address (precomputed by the risk worker). */
export async function findingsOf(db: Kysely<any>, address: string): Promise<RiskReason[]> {
  const rows = await db.selectFrom('intel_risk_findings').selectAll().where('address', '=', address).execute()
  return rows.map((r) => ({
    code: r.code,
    weight: Number(r.weight),
    detail: r.detail,
    evidence: r.evidence as string[],
  }))
}
