import { ROOT_CONTEXT } from '@opentelemetry/api'
import { SamplingDecision } from '@opentelemetry/sdk-trace-base'
import { describe, expect, it } from 'vitest'
import { PooledRandomIdGenerator } from './id-generator.js'
import { TraceIdRatioSampler } from './trace-id-ratio.js'

const kept = (sampler: TraceIdRatioSampler, traceId: string) =>
  sampler.shouldSample(ROOT_CONTEXT, traceId).decision === SamplingDecision.RECORD_AND_SAMPLED

/** A trace id whose 56 least-significant bits are `randomness` (a 14-digit hex string). */
const withRandomness = (randomness: string) => `0123456789abcdef01${randomness}`

describe('TraceIdRatioSampler (rejection threshold on the 56 low bits)', () => {
  it('keeps a trace exactly when its randomness reaches the threshold', () => {
    // ratio 0.25: T = 0.75 * 2^56 = 0xc0000000000000
    const sampler = new TraceIdRatioSampler(0.25)
    expect(kept(sampler, withRandomness('c0000000000000'))).toBe(true)
    expect(kept(sampler, withRandomness('bfffffffffffff'))).toBe(false)
    expect(kept(sampler, withRandomness('ffffffffffffff'))).toBe(true)
    expect(kept(sampler, withRandomness('00000000000001'))).toBe(false)
    // The split between the two parsed parts: high digits equal, low digits decide.
    const half = new TraceIdRatioSampler(0.5)
    expect(kept(half, withRandomness('80000000000000'))).toBe(true)
    expect(kept(half, withRandomness('7fffffffffffff'))).toBe(false)
  })

  it('ignores the trace id bits the specification leaves out of the randomness', () => {
    const sampler = new TraceIdRatioSampler(0.5)
    expect(kept(sampler, `ffffffffffffffffff${'00000000000001'}`)).toBe(false)
    expect(kept(sampler, `000000000000000000${'ffffffffffffff'}`)).toBe(true)
  })

  it('keeps everything at ratio 1 and nothing at ratio 0, and drops malformed ids', () => {
    const all = new TraceIdRatioSampler(1)
    const none = new TraceIdRatioSampler(0)
    expect(kept(all, withRandomness('00000000000000'))).toBe(true)
    expect(kept(none, withRandomness('ffffffffffffff'))).toBe(false)
    expect(kept(all, 'not-a-trace-id')).toBe(false)
    expect(kept(all, withRandomness('zzzzzzzzzzzzzz'))).toBe(false)
    expect(new TraceIdRatioSampler(Number.NaN).toString()).toBe('TraceIdRatioBased{NaN}')
    expect(kept(new TraceIdRatioSampler(Number.NaN), withRandomness('ffffffffffffff'))).toBe(false)
  })

  it('keeps close to the ratio of random trace ids', () => {
    const ids = new PooledRandomIdGenerator()
    const sampler = new TraceIdRatioSampler(0.1)
    let count = 0
    for (let i = 0; i < 20_000; i++) if (kept(sampler, ids.generateTraceId())) count++
    // Expected 2,000 with a standard deviation of about 42: the bounds are more than 7 sigma wide.
    expect(count).toBeGreaterThan(1_700)
    expect(count).toBeLessThan(2_300)
  })
})

describe('PooledRandomIdGenerator', () => {
  it('gives lower-case hex ids of W3C length, distinct across pool refills', () => {
    const ids = new PooledRandomIdGenerator()
    const seen = new Set<string>()
    // 4096-byte pool: 1,000 trace + span id pairs refill it several times.
    for (let i = 0; i < 1_000; i++) {
      const traceId = ids.generateTraceId()
      const spanId = ids.generateSpanId()
      expect(traceId).toMatch(/^[0-9a-f]{32}$/)
      expect(spanId).toMatch(/^[0-9a-f]{16}$/)
      seen.add(traceId).add(spanId)
    }
    expect(seen.size).toBe(2_000)
  })
})
