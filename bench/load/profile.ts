/**
 * The load profile of the source reports (warm-up 10 s to 10 VUs, ramp 30 s to 50, sustain 60 s,
 * ramp down 20 s) and their pass/fail thresholds, shared by the in-repo harness and the k6 scripts'
 * documentation. autocannon has no ramping, so a ramp is run as short steps of rising concurrency.
 */
export interface Stage {
  /** Seconds this stage lasts. */
  seconds: number
  /** Virtual users (concurrent connections) at the end of the stage. */
  target: number
}

export const REPORT_STAGES: Stage[] = [
  { seconds: 10, target: 10 },
  { seconds: 30, target: 50 },
  { seconds: 60, target: 50 },
  { seconds: 20, target: 0 },
]

export const THRESHOLDS = {
  /** p95 of every API request, milliseconds. */
  apiP95Ms: 500,
  /** p95 of the health endpoint, milliseconds. */
  healthP95Ms: 100,
  /** Share of failed requests (non-2xx/3xx or transport errors). */
  errorRate: 0.01,
}

export interface Step {
  /** Index of the stage this step belongs to, for the report. */
  stage: number
  seconds: number
  connections: number
}

/**
 * Cuts the stages into steps of at most `stepSeconds`, each at the mean concurrency of its slice of
 * the ramp (linear from the previous stage's target, as k6 ramps), at least one connection.
 * `scale` shrinks every duration (a quick run keeps the shape at a fraction of the time).
 */
export function planSteps(stages: Stage[], stepSeconds = 5, scale = 1): Step[] {
  const steps: Step[] = []
  let from = 0
  stages.forEach((stage, index) => {
    const total = Math.max(1, Math.round(stage.seconds * scale))
    const count = Math.max(1, Math.ceil(total / stepSeconds))
    for (let i = 0; i < count; i++) {
      const start = (i * total) / count
      const end = ((i + 1) * total) / count
      const mid = (start + end) / 2 / total
      const connections = Math.max(1, Math.round(from + (stage.target - from) * mid))
      steps.push({ stage: index, seconds: Math.max(1, Math.round(end - start)), connections })
    }
    from = stage.target
  })
  return steps
}
