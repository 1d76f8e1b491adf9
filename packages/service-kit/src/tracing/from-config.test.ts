import { describe, expect, it } from 'vitest'
import { baseConfigSchema, loadConfig } from '../config/index.js'
import { slowThresholdsFromConfig, startTracingFromConfig } from './from-config.js'

describe('tracing from config', () => {
  it('starts nothing without OTEL_EXPORTER_OTLP_ENDPOINT', () => {
    expect(startTracingFromConfig(loadConfig(baseConfigSchema, {}), 'svc')).toBeUndefined()
  })

  it('reads the sampler with its production default and the SLOW_* thresholds', () => {
    const defaults = loadConfig(baseConfigSchema, {})
    expect(defaults.OTEL_TRACES_SAMPLER).toBe('parentbased_traceidratio')
    expect(defaults.OTEL_TRACES_SAMPLER_ARG).toBe(0.1)
    const tuned = loadConfig(baseConfigSchema, {
      OTEL_TRACES_SAMPLER_ARG: '1',
      SLOW_DB_MS: '50',
      SLOW_REQUEST_MS: '300',
      SLOW_EXTERNAL_MS: '900',
    })
    expect(tuned.OTEL_TRACES_SAMPLER_ARG).toBe(1)
    expect(slowThresholdsFromConfig(tuned)).toEqual({ dbMs: 50, requestMs: 300, externalMs: 900 })
    expect(() => loadConfig(baseConfigSchema, { OTEL_TRACES_SAMPLER_ARG: '2' })).toThrow(
      /OTEL_TRACES_SAMPLER_ARG/,
    )
  })
})
