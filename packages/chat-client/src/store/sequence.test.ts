import { describe, expect, it } from 'vitest'
import { SequenceTracker } from './sequence.js'

describe('seq ordering and gap detection', () => {
  it('accepts the next seq and reports the missing range when the stream skips', () => {
    const tracker = new SequenceTracker()
    tracker.reset(10)
    expect(tracker.observe(11)).toEqual({ kind: 'next' })
    expect(tracker.observe(15)).toEqual({ kind: 'gap', after: 11, before: 15 })
    expect(tracker.position).toBe(15)
  })

  it('calls a seq at or below the position a duplicate (already loaded or delivered)', () => {
    const tracker = new SequenceTracker()
    tracker.reset(5)
    expect(tracker.observe(5)).toEqual({ kind: 'duplicate' })
    expect(tracker.observe(3)).toEqual({ kind: 'duplicate' })
    expect(tracker.position).toBe(5)
  })

  it('moves forward with loaded pages without reporting gaps, never back', () => {
    const tracker = new SequenceTracker()
    tracker.advanceTo(20)
    tracker.advanceTo(7)
    expect(tracker.position).toBe(20)
    expect(tracker.observe(21)).toEqual({ kind: 'next' })
  })

  it('starts from the first seq it sees when it had no position', () => {
    const tracker = new SequenceTracker()
    expect(tracker.observe(42)).toEqual({ kind: 'next' })
    expect(tracker.observe(43)).toEqual({ kind: 'next' })
  })
})
