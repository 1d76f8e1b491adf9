import { describe, expect, it } from 'vitest'
import type { AuditEntry } from '../audit/types.js'
import { PrivacyRegistry } from './registry.js'
import { RetentionRunner } from './retention.js'

describe('retention runner', () => {
  it('runs each purge when its interval is due, records each run, and survives a failing purge', async () => {
    let clock = 1_000_000
    const store = new Map<string, number>([
      ['old', clock - 100_000],
      ['new', clock],
    ])
    const registry = new PrivacyRegistry()
      .registerRetention({
        name: 'rows-older-than-50s',
        everyMs: 60_000,
        purge: async (now) => {
          let deleted = 0
          for (const [key, at] of store) {
            if (now.getTime() - at > 50_000) {
              store.delete(key)
              deleted++
            }
          }
          return deleted
        },
      })
      .registerRetention({
        name: 'broken',
        everyMs: 10_000,
        purge: async () => {
          throw new Error('disk on fire')
        },
      })
    const recorded: AuditEntry[] = []
    const runner = new RetentionRunner({
      registry,
      now: () => clock,
      audit: {
        record: async (entry) => {
          recorded.push(entry)
        },
      },
    })

    expect(await runner.runDue()).toEqual([
      { policy: 'rows-older-than-50s', deleted: 1 },
      { policy: 'broken', error: 'disk on fire' },
    ])
    expect([...store.keys()]).toEqual(['new'])
    expect(recorded.map((e) => [e.metadata?.policy, e.outcome ?? 'success'])).toEqual([
      ['rows-older-than-50s', 'success'],
      ['broken', 'failure'],
    ])

    clock += 20_000 // only the 10 s policy is due
    expect((await runner.runDue()).map((r) => r.policy)).toEqual(['broken'])

    clock += 60_000 // "new" is now 80 s old
    expect(await runner.runDue()).toContainEqual({ policy: 'rows-older-than-50s', deleted: 1 })
    expect(store.size).toBe(0)
  })

  it('refuses duplicate names and non-positive intervals', () => {
    const registry = new PrivacyRegistry().registerRetention({ name: 'a', everyMs: 1, purge: async () => 0 })
    expect(() => registry.registerRetention({ name: 'a', everyMs: 1, purge: async () => 0 })).toThrow(
      /already/,
    )
    expect(() => registry.registerRetention({ name: 'b', everyMs: 0, purge: async () => 0 })).toThrow(
      /positive/,
    )
  })
})
