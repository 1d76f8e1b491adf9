import { describe, expect, it } from 'vitest'
import { GroupCommit } from './group-commit.js'

/** A commit that can be held open, recording every batch it was given. */
function recorder(fail: (items: number[]) => boolean = () => false) {
  const batches: number[][] = []
  let release: () => void = () => {}
  let held: Promise<void> | null = null
  return {
    batches,
    hold() {
      held = new Promise((resolve) => {
        release = resolve
      })
    },
    release: () => release(),
    commit: async (items: number[]) => {
      batches.push(items)
      if (held) {
        const wait = held
        held = null
        await wait
      }
      if (fail(items)) throw new Error(`batch ${items.join(',')} failed`)
      return items.map((n) => n * 10)
    },
  }
}

describe('group commit', () => {
  it('commits a lone item at once and what queued behind a held commit as one batch, in order', async () => {
    const r = recorder()
    const group = new GroupCommit({ commit: r.commit })
    expect(await group.submit(1)).toBe(10)
    expect(r.batches).toEqual([[1]])
    await new Promise((resolve) => setImmediate(resolve)) // the drain loop has ended
    r.hold()
    const first = group.submit(2)
    const rest = [3, 4, 5, 6].map((n) => group.submit(n))
    expect(group.waiting).toBe(4)
    r.release()
    expect(await Promise.all([first, ...rest])).toEqual([20, 30, 40, 50, 60])
    expect(r.batches).toEqual([[1], [2], [3, 4, 5, 6]])
    expect(group.stats).toEqual({ committed: 3, failed: 0, largest: 4 })
  })

  it('with gatherBurst, commits items that arrive in one turn of the event loop as one first batch', async () => {
    const r = recorder()
    const group = new GroupCommit({ commit: r.commit, gatherBurst: true })
    // Submitted from separate callbacks of one loop turn, as deliveries parsed from one socket read are.
    const answers = await new Promise<Promise<number>[]>((resolve) => {
      const submitted: Promise<number>[] = []
      for (const n of [1, 2, 3]) process.nextTick(() => submitted.push(group.submit(n)))
      process.nextTick(() => resolve(submitted))
    })
    expect(await Promise.all(answers)).toEqual([10, 20, 30])
    expect(r.batches).toEqual([[1, 2, 3]])
    // Without it the first item is committed alone and the rest wait behind it.
    const plain = recorder()
    const eager = new GroupCommit({ commit: plain.commit })
    await Promise.all([1, 2, 3].map((n) => Promise.resolve().then(() => eager.submit(n))))
    expect(plain.batches).toEqual([[1], [2, 3]])
  })

  it('splits a failing batch in halves until the bad item is alone; the others commit in order', async () => {
    const r = recorder((items) => items.includes(5))
    const group = new GroupCommit({ commit: r.commit })
    r.hold()
    const first = group.submit(0)
    const rest = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => group.submit(n).catch((e: Error) => e.message))
    r.release()
    await first
    expect(await Promise.all(rest)).toEqual([10, 20, 30, 40, 'batch 5 failed', 60, 70, 80])
    expect(r.batches.slice(1)).toEqual([
      [1, 2, 3, 4, 5, 6, 7, 8],
      [1, 2, 3, 4],
      [5, 6, 7, 8],
      [5, 6],
      [5],
      [6],
      [7, 8],
    ])
  })

  it('answers a lone failure through recover, and keeps items with a key already in the batch for the next one', async () => {
    const r = recorder((items) => items.includes(3))
    const group = new GroupCommit({
      commit: r.commit,
      maxBatch: 3,
      key: (n: number) => (n % 2 === 0 ? 'even' : null),
      recover: async (n) => -n,
    })
    r.hold()
    const first = group.submit(1)
    const rest = [2, 4, 5, 6, 7].map((n) => group.submit(n))
    r.release()
    expect(await Promise.all([first, ...rest])).toEqual([10, 20, 40, 50, 60, 70])
    expect(r.batches).toEqual([[1], [2, 5, 7], [4], [6]])
    const lone = await group.submit(3)
    expect(lone).toBe(-3)
  })
})
