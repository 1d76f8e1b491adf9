/**
 * Watches one channel's message `seq` numbers as realtime events bring them (top-level messages
 * and thread replies share the channel's sequence). Each new event should carry `last + 1`; a
 * larger number means events were missed, and the range between is a gap to fill from the API.
 * Holes in the stored list prove nothing (hard deletes, blocked users), so only the event stream
 * is watched.
 */
export class SequenceTracker {
  private last: number | undefined

  /** Where the stream stands: the seq of the newest message the store has seen, from any source. */
  get position(): number | undefined {
    return this.last
  }

  /** Sets the starting point (the channel's lastSeq when it was loaded from the API). */
  reset(position: number): void {
    this.last = position
  }

  /** Raises the position without a gap check (a page loaded from the API). */
  advanceTo(seq: number): void {
    if (this.last === undefined || seq > this.last) this.last = seq
  }

  /**
   * Records a seq from the realtime stream. Returns the missing range when the stream skipped
   * numbers, `duplicate` for one at or below the position, else `next`.
   */
  observe(
    seq: number,
  ): { kind: 'next' } | { kind: 'duplicate' } | { kind: 'gap'; after: number; before: number } {
    const last = this.last
    if (last === undefined) {
      this.last = seq
      return { kind: 'next' }
    }
    if (seq <= last) return { kind: 'duplicate' }
    this.last = seq
    if (seq === last + 1) return { kind: 'next' }
    return { kind: 'gap', after: last, before: seq }
  }
}
