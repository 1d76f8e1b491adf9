import { Registry } from 'prom-client'
import { describe, expect, it } from 'vitest'
import { memoryLogger } from '../http/test-support.js'
import { SlowOperationDetector } from './index.js'

describe('slow operation detection', () => {
  it('warns and counts only operations over the threshold of their kind', async () => {
    const { logger, lines } = memoryLogger()
    const registry = new Registry()
    const detector = new SlowOperationDetector(logger, registry, { dbMs: 100 })
    expect(detector.thresholds).toEqual({ dbMs: 100, requestMs: 1000, externalMs: 2000 })
    expect(detector.observe('db', 100, { statement: 'select 1' })).toBe(false)
    expect(detector.observe('db', 250, { statement: 'select pg_sleep(0.25)' })).toBe(true)
    expect(detector.observe('external', 1999)).toBe(false)
    expect(detector.observe('request', 1001)).toBe(true)
    expect(lines.map((line) => [line['log.level'], line.slow.kind, line.slow.durationMs])).toEqual([
      ['warn', 'db', 250],
      ['warn', 'request', 1001],
    ])
    expect(lines[0]!.statement).toBe('select pg_sleep(0.25)')
    const counter = await registry.getSingleMetricAsString('slow_operations_total')
    expect(counter).toContain('slow_operations_total{kind="db"} 1')
    expect(counter).toContain('slow_operations_total{kind="request"} 1')
  })
})
