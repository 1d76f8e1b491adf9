import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { SUSPICIOUS_SIGNALS, SuspiciousActivity } from './signals.js'

describe('suspicious-activity counter', () => {
  it('exports every signal at 0 from the start, then counts reports', async () => {
    const registry = new Registry()
    const activity = new SuspiciousActivity({ registry })
    const before = await registry.getSingleMetricAsString('session_suspicious_events_total')
    for (const signal of SUSPICIOUS_SIGNALS)
      expect(before).toContain(`session_suspicious_events_total{signal="${signal}"} 0`)
    await activity.report({ signal: 'new_device', userId: 'u1', sessionId: 's1', detail: 'Firefox / Linux' })
    expect(await registry.getSingleMetricAsString('session_suspicious_events_total')).toContain(
      'session_suspicious_events_total{signal="new_device"} 1',
    )
  })
})
