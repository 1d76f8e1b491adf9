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
