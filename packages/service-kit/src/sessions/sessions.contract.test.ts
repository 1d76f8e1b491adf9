import { randomBytes } from 'node:crypto'
import type { Redis } from 'ioredis'
import { Registry } from 'prom-client'
import { afterAll, beforeEach, describe, expect, it } from 'vitest'
import { deleteByPrefix, redisUrl, testRedis, uniquePrefix } from '../cache/test-support.js'
import type { SessionKey } from './cipher.js'
import { SessionManager, type SessionManagerOptions, SessionRevokedError } from './manager.js'
import { MemorySessionStore } from './memory-store.js'
import { RedisSessionStore } from './redis-store.js'
import type { SuspiciousEvent } from './signals.js'
import type { SessionStore } from './store.js'

const prefix = uniquePrefix('sessions')
let redis: Redis | undefined

interface Driver {
  store: () => SessionStore
  /** Every raw value the driver holds for this test, exactly as stored. */
  rawDump: () => Promise<string>
}

const memoryStores: MemorySessionStore[] = []
const drivers: [string, Driver][] = [
  [
    'memory',
    {
      store: () => {
        const store = new MemorySessionStore()
        memoryStores.push(store)
        return store
      },
      // The memory driver keeps only envelopes and HMACs; serializing its maps shows all of it.
      rawDump: async () => {
        const store = memoryStores.at(-1) as unknown as Record<string, unknown>
        const maps = Object.values(store).filter((v) => v instanceof Map)
        return JSON.stringify(maps, (_k, v) =>
          v instanceof Map ? [...v.entries()] : v instanceof Set ? [...v] : v,
        )
      },
    },
  ],
]
if (redisUrl) {
  drivers.push([
    'redis',
    {
      store: () => {
        redis ??= testRedis()
        return new RedisSessionStore({ redis, keyPrefix: prefix })
      },
      rawDump: async () => {
        const r = redis!
        const keys = await r.keys(`${prefix}*`)
        const parts: string[] = [...keys]
        for (const key of keys) {
          const type = await r.type(key)
          if (type === 'string') parts.push((await r.get(key))!)
          if (type === 'zset') parts.push(...(await r.zrange(key, 0, -1)))
          if (type === 'set') parts.push(...(await r.smembers(key)))
        }
        return parts.join('\n')
      },
    },
  ])
}

afterAll(async () => {
  if (redis) {
    await deleteByPrefix(redis, prefix)
    await redis.quit()
  }
})

const IPHONE =
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.0 Mobile/15E148 Safari/604.1'
const FIREFOX_LINUX = 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0'
const MINUTE = 60_000

let counter = 0
const uniqueUser = (name: string) => `${name}-${++counter}-${randomBytes(3).toString('hex')}@example.com`

describe.each(drivers)('sessions contract (%s)', (_driver, driver) => {
  let clock: number
  let events: SuspiciousEvent[]
  let registry: Registry
  let store: SessionStore
  const keys: SessionKey[] = [{ id: 'k1', key: randomBytes(32) }]
  const manager = (options: Partial<SessionManagerOptions> = {}) =>
    new SessionManager<{ cart: string[]; secret?: string }>({
      store,
      keys,
      registry,
      now: () => clock,
      onSuspicious: (event) => {
        events.push(event)
      },
      ...options,
    })

  beforeEach(() => {
    clock = Date.now()
    events = []
    registry = new Registry()
    store = driver.store()
  })

  it('creates and reads a session with device info and IP', async () => {
    const sessions = manager()
    const user = uniqueUser('alice')
    const created = await sessions.create(user, { cart: ['apple'] }, { ip: '203.0.113.7', userAgent: IPHONE })
    expect(created.id).toMatch(/^[A-Za-z0-9_-]{43}$/)
    const read = await sessions.get(created.id, { ip: '203.0.113.7' })
    expect(read).toMatchObject({
      id: created.id,
      userId: user,
      data: { cart: ['apple'] },
      ip: '203.0.113.7',
      device: { browser: 'Mobile Safari', os: 'iOS', type: 'mobile', vendor: 'Apple' },
    })
    expect(await sessions.get('no-such-session')).toBeUndefined()
  })

  it('stores no plaintext: not the data, user id, IP nor user agent', async () => {
    const sessions = manager()
    const user = uniqueUser('plaintext-check')
    const secret = `top-secret-${randomBytes(6).toString('hex')}`
    const session = await sessions.create(
      user,
      { cart: ['unique-item-name'], secret },
      { ip: '198.51.100.23', userAgent: IPHONE },
    )
    clock += 31 * MINUTE
    await sessions.get(session.id, { ip: '198.51.100.24' }) // rotation leaves a tombstone too
    const raw = await driver.rawDump()
    // The dump must hold the encrypted values themselves, or the checks below prove nothing.
    expect(raw).toContain('v1.k1.')
    for (const plaintext of [
      secret,
      'unique-item-name',
      user,
      'plaintext-check',
      '198.51.100',
      'iPhone',
      'Safari',
    ]) {
      expect(raw).not.toContain(plaintext)
    }
  })

  it('updates data and destroys sessions', async () => {
    const sessions = manager()
    const session = await sessions.create(uniqueUser('bob'), { cart: [] })
    expect((await sessions.update(session.id, { cart: ['x'] }))?.data).toEqual({ cart: ['x'] })
    expect((await sessions.get(session.id))?.data).toEqual({ cart: ['x'] })
    await sessions.destroy(session.id)
    expect(await sessions.get(session.id)).toBeUndefined()
  })

  it('keeps at most N sessions per user and evicts the oldest', async () => {
    const sessions = manager({ maxSessionsPerUser: 3 })
    const user = uniqueUser('carol')
    const ids: string[] = []
    for (let i = 0; i < 5; i++) {
      ids.push((await sessions.create(user, { cart: [String(i)] })).id)
      clock += 1_000
    }
    const live = await sessions.list(user)
    expect(live.map((s) => s.id)).toEqual(ids.slice(2))
    expect(await sessions.get(ids[0]!)).toBeUndefined()
    expect(await sessions.get(ids[1]!)).toBeUndefined()
    expect(await sessions.get(ids[4]!)).toBeDefined()
    // Another user's sessions are untouched.
    const other = await sessions.create(uniqueUser('dave'), { cart: [] })
    expect(await sessions.get(other.id)).toBeDefined()
  })

  it('defaults to five concurrent sessions', async () => {
    const sessions = manager({ burst: { max: 100, windowMs: MINUTE } })
    const user = uniqueUser('erin')
    for (let i = 0; i < 7; i++) {
      await sessions.create(user, { cart: [] })
      clock += 1
    }
    expect(await sessions.list(user)).toHaveLength(5)
  })

  it('rotates the id after 30 minutes, keeps the data, and detects replay of the old id', async () => {
    const sessions = manager({ idleTtlMs: 2 * 60 * MINUTE })
    const user = uniqueUser('frank')
    const original = await sessions.create(user, { cart: ['keep me'] })
    clock += 29 * MINUTE
    expect((await sessions.get(original.id))?.id).toBe(original.id)
    clock += 2 * MINUTE
    const rotated = await sessions.get(original.id)
    expect(rotated?.id).toBeDefined()
    expect(rotated!.id).not.toBe(original.id)
    expect(rotated!.data).toEqual({ cart: ['keep me'] })
    expect(rotated!.createdAt).toBe(original.createdAt)
    expect((await sessions.get(rotated!.id))?.data).toEqual({ cart: ['keep me'] })
    expect(events).toEqual([])

    expect(await sessions.get(original.id, { ip: '192.0.2.66' })).toBeUndefined()
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      signal: 'replay',
      userId: user,
      sessionId: rotated!.id,
      revoked: false,
    })
    expect(await registry.getSingleMetricAsString('session_suspicious_events_total')).toContain(
      'session_suspicious_events_total{signal="replay"} 1',
    )
    // Without a revocation policy the rotated session stays usable.
    expect(await sessions.get(rotated!.id)).toBeDefined()
  })

  it('rotates once when two requests race, both getting the same new id and no replay signal', async () => {
    const sessions = manager({ idleTtlMs: 2 * 60 * MINUTE })
    const user = uniqueUser('racer')
    const original = await sessions.create(user, { cart: ['r'] })
    clock += 31 * MINUTE
    const [a, b] = await Promise.all([sessions.get(original.id), sessions.get(original.id)])
    expect(a?.id).toBeDefined()
    expect(a?.id).not.toBe(original.id)
    expect(b?.id).toBe(a?.id)
    expect(events).toEqual([])
    expect((await sessions.list(user)).map((s) => s.id)).toEqual([a!.id])
  })

  it('revokes the live session on replay when the policy says so', async () => {
    const sessions = manager({ idleTtlMs: 2 * 60 * MINUTE, revokeOn: ['replay'] })
    const original = await sessions.create(uniqueUser('grace'), { cart: [] })
    clock += 31 * MINUTE
    const rotated = await sessions.get(original.id)
    expect(await sessions.get(original.id)).toBeUndefined()
    expect(events[0]).toMatchObject({ signal: 'replay', revoked: true })
    expect(await sessions.get(rotated!.id)).toBeUndefined()
  })

  it('serves a rotated-out id inside the grace window (parallel requests), revokes on replay after it', async () => {
    const sessions = manager({ idleTtlMs: 2 * 60 * MINUTE, revokeOn: ['replay'], replayGraceMs: 10_000 })
    const original = await sessions.create(uniqueUser('parallel'), { cart: ['p'] })
    clock += 31 * MINUTE
    const rotated = await sessions.get(original.id)
    clock += 5_000
    const late = await sessions.get(original.id)
    expect(late?.id).toBe(rotated!.id)
    expect(events).toEqual([])
    clock += 6_000
    expect(await sessions.get(original.id)).toBeUndefined()
    expect(events[0]).toMatchObject({ signal: 'replay', revoked: true })
    expect(await sessions.get(rotated!.id)).toBeUndefined()
  })

  it('expires idle sessions and sessions past their absolute lifetime', async () => {
    const sessions = manager({
      idleTtlMs: 10 * MINUTE,
      absoluteTtlMs: 60 * MINUTE,
      rotationIntervalMs: 24 * 60 * MINUTE,
    })
    const idle = await sessions.create(uniqueUser('heidi'), { cart: [] })
    clock += 11 * MINUTE
    expect(await sessions.get(idle.id)).toBeUndefined()

    const busy = await sessions.create(uniqueUser('ivan'), { cart: [] })
    for (let i = 0; i < 6; i++) {
      clock += 9 * MINUTE
      expect(await sessions.get(busy.id)).toBeDefined()
    }
    clock += 7 * MINUTE // 61 minutes after login, used 7 minutes ago
    expect(await sessions.get(busy.id)).toBeUndefined()
  })

  it('signals a new device, but not the first one nor a known one', async () => {
    const sessions = manager()
    const user = uniqueUser('judy')
    await sessions.create(user, { cart: [] }, { userAgent: IPHONE })
    await sessions.create(user, { cart: [] }, { userAgent: IPHONE })
    expect(events).toEqual([])
    const fromLinux = await sessions.create(user, { cart: [] }, { userAgent: FIREFOX_LINUX, ip: '192.0.2.1' })
    expect(events).toHaveLength(1)
    expect(events[0]).toMatchObject({
      signal: 'new_device',
      userId: user,
      sessionId: fromLinux.id,
      ip: '192.0.2.1',
    })
    expect(fromLinux.suspicious.map((e) => e.signal)).toEqual(['new_device'])
  })

  it('signals a change of IP network within a session, not a move inside one', async () => {
    const sessions = manager()
    const session = await sessions.create(uniqueUser('ken'), { cart: [] }, { ip: '10.20.30.5' })
    await sessions.get(session.id, { ip: '10.20.30.77' })
    expect(events).toEqual([])
    const moved = await sessions.get(session.id, { ip: '10.20.99.1' })
    expect(moved?.suspicious.map((e) => e.signal)).toEqual(['ip_network_change'])
    expect(events[0]).toMatchObject({ signal: 'ip_network_change', detail: '10.20.30.0/24 -> 10.20.99.0/24' })
    expect(moved?.ip).toBe('10.20.99.1')
    await sessions.get(session.id, { ip: '10.20.99.2' })
    expect(events).toHaveLength(1)
  })

  it('signals a burst of new sessions', async () => {
    const sessions = manager({ burst: { max: 3, windowMs: 10 * MINUTE }, maxSessionsPerUser: 10 })
    const user = uniqueUser('leo')
    for (let i = 0; i < 3; i++) await sessions.create(user, { cart: [] })
    expect(events).toEqual([])
    await sessions.create(user, { cart: [] })
    expect(events.map((e) => e.signal)).toEqual(['session_burst'])
    const metrics = await registry.getSingleMetricAsString('session_suspicious_events_total')
    expect(metrics).toContain('session_suspicious_events_total{signal="session_burst"} 1')
  })

  it('refuses to create a session when the policy revokes on its signal', async () => {
    const sessions = manager({ revokeOn: (event) => event.signal === 'new_device' })
    const user = uniqueUser('mallory')
    await sessions.create(user, { cart: [] }, { userAgent: IPHONE })
    await expect(sessions.create(user, { cart: [] }, { userAgent: FIREFOX_LINUX })).rejects.toBeInstanceOf(
      SessionRevokedError,
    )
    expect(await sessions.list(user)).toHaveLength(1)
  })

  it('reads sessions written under a previous key and re-encrypts them with the new one', async () => {
    const user = uniqueUser('nina')
    const oldKey = { id: 'old', key: randomBytes(32) }
    const newKey = { id: 'new', key: randomBytes(32) }
    const fingerprintKey = randomBytes(32)
    const before = manager({ keys: [oldKey], fingerprintKey })
    const session = await before.create(user, { cart: ['kept'] })
    const after = manager({ keys: [newKey, oldKey], fingerprintKey, touchIntervalMs: 0 })
    clock += 1_000
    expect((await after.get(session.id))?.data).toEqual({ cart: ['kept'] })
    const onlyNew = manager({ keys: [newKey], fingerprintKey })
    expect((await onlyNew.get(session.id))?.data).toEqual({ cart: ['kept'] })
  })

  it('does not accept a stored value moved under another id', async () => {
    const sessions = manager()
    const user = uniqueUser('oscar')
    const a = await sessions.create(user, { cart: ['a'] })
    const stolen = (await store.load(a.id))!
    await store.save('forged-id', 'x', Date.now(), stolen, MINUTE)
    expect(await sessions.get('forged-id')).toBeUndefined()
  })

  it('logs a user out everywhere', async () => {
    const sessions = manager()
    const user = uniqueUser('peggy')
    const a = await sessions.create(user, { cart: [] })
    await sessions.create(user, { cart: [] })
    expect(await sessions.destroyAll(user)).toBe(2)
    expect(await sessions.get(a.id)).toBeUndefined()
    expect(await sessions.list(user)).toEqual([])
  })
})
