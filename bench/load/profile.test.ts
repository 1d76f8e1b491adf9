import { describe, expect, it } from 'vitest'
import { percentile, summarize } from './percentiles.js'
import { planSteps, REPORT_STAGES } from './profile.js'

describe('load profile', () => {
  it('keeps the reports’ total duration and ramps linearly between stage targets', () => {
    const steps = planSteps(REPORT_STAGES, 5)
    expect(steps.reduce((sum, s) => sum + s.seconds, 0)).toBe(120)
    // warm-up climbs from 1 towards 10, the sustain stage holds 50, the ramp-down falls
    const warmUp = steps.filter((s) => s.stage === 0).map((s) => s.connections)
    expect(warmUp).toEqual([3, 8])
    expect(new Set(steps.filter((s) => s.stage === 2).map((s) => s.connections))).toEqual(new Set([50]))
    const down = steps.filter((s) => s.stage === 3).map((s) => s.connections)
    expect(down).toEqual([...down].sort((a, b) => b - a))
  })

  it('scales durations for a quick run but never below one second or one connection', () => {
    const steps = planSteps([{ seconds: 3, target: 0 }], 5, 0.1)
    expect(steps).toEqual([{ stage: 0, seconds: 1, connections: 1 }])
  })
})

describe('percentiles', () => {
  it('uses the nearest rank', () => {
    const values = Array.from({ length: 100 }, (_, i) => i + 1)
    expect(percentile(values, 50)).toBe(50)
    expect(percentile(values, 95)).toBe(95)
    expect(percentile(values, 99)).toBe(99)
    expect(percentile([7], 99)).toBe(7)
  })

  it('summarizes unsorted samples with their error rate', () => {
    const summary = summarize([30, 10, 20, 40], 1)
    expect(summary).toMatchObject({ requests: 4, errors: 1, errorRate: 0.25, p50Ms: 20, maxMs: 40 })
  })
})
