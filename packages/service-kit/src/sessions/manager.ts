import { createHmac, hkdfSync, randomBytes } from 'node:crypto'
import { SessionCipher, type SessionKey } from './cipher.js'
import { type DeviceInfo, deviceFingerprint, parseDevice } from './device.js'
import { ipNetwork } from './ip-network.js'
import { SuspiciousActivity, type SuspiciousActivityOptions, type SuspiciousEvent } from './signals.js'
import type { SessionStore } from './store.js'

const MINUTE = 60_000
const DAY = 24 * 60 * MINUTE

export interface SessionManagerOptions extends SuspiciousActivityOptions {
  store: SessionStore
  /** AES-256-GCM keys, current first; older keys keep decrypting until removed. */
  keys: SessionKey[]
  /** Concurrent sessions per user; creating one more evicts the oldest (default 5). */
  maxSessionsPerUser?: number
  /** Session ends after this long without use (default 1 h). */
  idleTtlMs?: number
  /** Session ends this long after login, used or not (default 7 days). */
  absoluteTtlMs?: number
  /** A used session gets a new id after this long, keeping its data (default 30 min). */
  rotationIntervalMs?: number
  /**
   * A rotated-out id presented this soon after its rotation is a parallel request that left
   * before the new id arrived, not a replay: it is served the new session (default 0: none).
   */
  replayGraceMs?: number
  /** Idle-TTL refreshes are written at most this often, to spare a write per request (default 1 min). */
  touchIntervalMs?: number
  /** More than `max` new sessions of one user inside `windowMs` is a burst (default 5 per 10 min). */
  burst?: { max: number; windowMs: number }
  /** How long a device stays "known" for a user (default 90 days). */
  knownDeviceTtlMs?: number
  /**
   * Keys the HMAC that pseudonymizes user ids and device fingerprints in the store. Defaults to
   * a key derived from the current encryption key; set it explicitly so that encryption key
   * rotation does not reset device history.
   */
  fingerprintKey?: Buffer
  /** Clock for session times (tests); store TTLs use the real clock. */
  now?: () => number
}

export interface ClientInfo {
  ip?: string | undefined
  userAgent?: string | undefined
}

export interface Session<T> {
  /** The id to hand back to the client; it changes on rotation. */
  id: string
  userId: string
  data: T
  createdAt: string
  lastSeenAt: string
  rotatedAt: string
  /** When the session ends if left idle (bounded by `absoluteExpiresAt`). */
  expiresAt: string
  absoluteExpiresAt: string
  ip?: string | undefined
  device: DeviceInfo
  /** Signals raised while creating or loading this session. */
  suspicious: SuspiciousEvent[]
}

/** The encrypted part: everything about a session except its id. */
interface SessionRecord<T> {
  userId: string
  data: T
  createdAt: number
  lastSeenAt: number
  rotatedAt: number
  absoluteExpiresAt: number
  ip?: string | undefined
  network?: string | undefined
  device: DeviceInfo
}

interface Tombstone {
  userId: string
  rotatedTo: string
  /** When the rotation happened (absent in tombstones written before the grace window existed). */
  rotatedAt?: number
}

/** Thrown by `create` when the revocation policy ends the new session at once. */
export class SessionRevokedError extends Error {
  constructor(readonly event: SuspiciousEvent) {
    super(`session revoked: ${event.signal}`)
    this.name = 'SessionRevokedError'
  }
}

const newSessionId = () => randomBytes(32).toString('base64url')

/**
 * Sessions on a pluggable store: encryption, per-user limits, rotation with replay detection,
 * idle/absolute expiry, device and IP tracking, suspicious-activity signals.
 */
export class SessionManager<T = Record<string, unknown>> {
  readonly activity: SuspiciousActivity
  private readonly store: SessionStore
  private readonly cipher: SessionCipher
  private readonly fingerprintKey: Buffer
  private readonly max: number
  private readonly idleTtlMs: number
  private readonly absoluteTtlMs: number
  private readonly rotationIntervalMs: number
  private readonly replayGraceMs: number
  private readonly touchIntervalMs: number
  private readonly burst: { max: number; windowMs: number }
  private readonly knownDeviceTtlMs: number
  private readonly now: () => number

  constructor(options: SessionManagerOptions) {
    this.store = options.store
    this.cipher = new SessionCipher(options.keys)
    this.fingerprintKey =
      options.fingerprintKey ??
      Buffer.from(hkdfSync('sha256', options.keys[0]!.key, '', 'session-fingerprints', 32))
    this.max = options.maxSessionsPerUser ?? 5
    this.idleTtlMs = options.idleTtlMs ?? 60 * MINUTE
    this.absoluteTtlMs = options.absoluteTtlMs ?? 7 * DAY
    this.rotationIntervalMs = options.rotationIntervalMs ?? 30 * MINUTE
    this.replayGraceMs = options.replayGraceMs ?? 0
    this.touchIntervalMs = options.touchIntervalMs ?? MINUTE
    this.burst = options.burst ?? { max: 5, windowMs: 10 * MINUTE }
    this.knownDeviceTtlMs = options.knownDeviceTtlMs ?? 90 * DAY
    this.now = options.now ?? Date.now
    this.activity = new SuspiciousActivity(options)
  }

  async create(userId: string, data: T, client: ClientInfo = {}): Promise<Session<T>> {
    const now = this.now()
    const id = newSessionId()
    const device = parseDevice(client.userAgent)
    const record: SessionRecord<T> = {
      userId,
      data,
      createdAt: now,
      lastSeenAt: now,
      rotatedAt: now,
      absoluteExpiresAt: now + this.absoluteTtlMs,
      ip: client.ip,
      network: client.ip ? ipNetwork(client.ip) : undefined,
      device,
    }
    const userKey = this.userKey(userId)
    await this.save(id, record)

    const events: SuspiciousEvent[] = []
    const count = await this.store.countInWindow(`${userKey}:burst`, this.burst.windowMs)
    if (count > this.burst.max) {
      events.push(
        await this.activity.report({
          signal: 'session_burst',
          userId,
          sessionId: id,
          ip: client.ip,
          device,
          detail: `${count} new sessions within ${Math.round(this.burst.windowMs / 1000)} s`,
        }),
      )
    }
    const known = await this.store.remember(
      `${userKey}:devices`,
      this.hmac(deviceFingerprint(device)),
      this.knownDeviceTtlMs,
    )
    // The first device a user ever logs in from is not news.
    if (known.added && known.sizeBefore > 0) {
      events.push(
        await this.activity.report({
          signal: 'new_device',
          userId,
          sessionId: id,
          ip: client.ip,
          device,
          detail: [device.browser, device.os, device.type].filter(Boolean).join(' / ') || 'unknown device',
        }),
      )
    }
    await this.enforceLimit(userKey, id)

    const revoking = events.find((e) => e.revoked)
    if (revoking) {
      await this.store.remove(id, userKey)
      throw new SessionRevokedError(revoking)
    }
    return this.view(id, record, events)
  }

  /**
   * Loads a session and marks it used. The returned `id` differs from the one given when the
   * session was rotated: the caller must send the new id to the client.
   */
  async get(id: string, client: ClientInfo = {}): Promise<Session<T> | undefined> {
    const now = this.now()
    const envelope = await this.store.load(id)
    if (!envelope) {
      const tombstone = await this.loadTombstone(id)
      if (!tombstone) return undefined
      if (now - (tombstone.rotatedAt ?? Number.NEGATIVE_INFINITY) < this.replayGraceMs) {
        return this.get(tombstone.rotatedTo, client)
      }
      await this.reportReplay(tombstone, client)
      return undefined
    }
    const record = this.open<SessionRecord<T>>(envelope, `session:${id}`)
    if (!record) return undefined
    const userKey = this.userKey(record.userId)
    if (now >= record.absoluteExpiresAt || now >= record.lastSeenAt + this.idleTtlMs) {
      await this.store.remove(id, userKey)
      return undefined
    }

    const events: SuspiciousEvent[] = []
    let changed = false
    const network = client.ip ? ipNetwork(client.ip) : undefined
    if (network && record.network && network !== record.network) {
      const event = await this.activity.report({
        signal: 'ip_network_change',
        userId: record.userId,
        sessionId: id,
        ip: client.ip,
        device: record.device,
        detail: `${record.network} -> ${network}`,
      })
      if (event.revoked) {
        await this.store.remove(id, userKey)
        return undefined
      }
      events.push(event)
    }
    if (network && network !== record.network) {
      record.network = network
      record.ip = client.ip
      changed = true
    }

    if (now - record.rotatedAt >= this.rotationIntervalMs) {
      record.lastSeenAt = now
      return this.rotate(id, record, events)
    }
    if (changed || now - record.lastSeenAt >= this.touchIntervalMs) {
      record.lastSeenAt = now
      await this.save(id, record)
    }
    return this.view(id, record, events)
  }

  /** Replaces the data of a live session, keeping its id and timers. */
  async update(id: string, data: T): Promise<Session<T> | undefined> {
    const envelope = await this.store.load(id)
    const record = envelope ? this.open<SessionRecord<T>>(envelope, `session:${id}`) : undefined
    if (!record) return undefined
    record.data = data
    await this.save(id, record)
    return this.view(id, record, [])
  }

  async destroy(id: string): Promise<void> {
    const envelope = await this.store.load(id)
    const record = envelope ? this.open<SessionRecord<T>>(envelope, `session:${id}`) : undefined
    await this.store.remove(id, record ? this.userKey(record.userId) : '')
  }

  /** Logs a user out everywhere (password change, account compromise, GDPR erasure). */
  async destroyAll(userId: string): Promise<number> {
    const userKey = this.userKey(userId)
    const ids = await this.store.userSessions(userKey)
    for (const id of ids) await this.store.remove(id, userKey)
    return ids.length
  }

  /** A user's live sessions, oldest first (for a "where you're logged in" page). */
  async list(userId: string): Promise<Session<T>[]> {
    const sessions: Session<T>[] = []
    for (const id of await this.store.userSessions(this.userKey(userId))) {
      const envelope = await this.store.load(id)
      const record = envelope ? this.open<SessionRecord<T>>(envelope, `session:${id}`) : undefined
      if (record) sessions.push(this.view(id, record, []))
    }
    return sessions
  }

  /** Closes the store: its Redis connection when the factory opened one, its sweeper in memory. */
  async close(): Promise<void> {
    await this.store.close()
  }

  private async rotate(
    oldId: string,
    record: SessionRecord<T>,
    events: SuspiciousEvent[],
  ): Promise<Session<T> | undefined> {
    const userKey = this.userKey(record.userId)
    const newId = newSessionId()
    record.rotatedAt = this.now()
    // Save before claiming the tombstone: whoever follows a tombstone must find its target.
    await this.save(newId, record)
    const tombstone: Tombstone = { userId: record.userId, rotatedTo: newId, rotatedAt: record.rotatedAt }
    const claimed = await this.store.setTombstone(
      oldId,
      this.cipher.encrypt(JSON.stringify(tombstone), `tombstone:${oldId}`),
      Math.max(1, record.absoluteExpiresAt - this.now()),
    )
    if (claimed) {
      await this.store.remove(oldId, userKey)
      return this.view(newId, record, events)
    }
    // A concurrent request rotated this session first: drop our copy and follow its choice.
    await this.store.remove(newId, userKey)
    const existing = await this.store.loadTombstone(oldId)
    const winner = existing ? this.open<Tombstone>(existing, `tombstone:${oldId}`) : undefined
    const envelope = winner ? await this.store.load(winner.rotatedTo) : undefined
    const current =
      envelope && winner ? this.open<SessionRecord<T>>(envelope, `session:${winner.rotatedTo}`) : undefined
    return winner && current ? this.view(winner.rotatedTo, current, events) : undefined
  }

  private async loadTombstone(id: string): Promise<Tombstone | undefined> {
    const envelope = await this.store.loadTombstone(id)
    return envelope ? this.open<Tombstone>(envelope, `tombstone:${id}`) : undefined
  }

  /** A rotated-out id coming back means it was copied: the thief or the victim is replaying it. */
  private async reportReplay(tombstone: Tombstone, client: ClientInfo): Promise<void> {
    const event = await this.activity.report({
      signal: 'replay',
      userId: tombstone.userId,
      sessionId: tombstone.rotatedTo,
      ip: client.ip,
      device: client.userAgent ? parseDevice(client.userAgent) : undefined,
      detail: 'a rotated-out session id was presented',
    })
    if (event.revoked) await this.store.remove(tombstone.rotatedTo, this.userKey(tombstone.userId))
  }

  private async enforceLimit(userKey: string, keepId: string): Promise<void> {
    const ids = await this.store.userSessions(userKey)
    const excess = ids.length - this.max
    if (excess <= 0) return
    for (const id of ids.filter((i) => i !== keepId).slice(0, excess)) await this.store.remove(id, userKey)
  }

  private async save(id: string, record: SessionRecord<T>): Promise<void> {
    const now = this.now()
    const ttl = Math.min(record.lastSeenAt + this.idleTtlMs, record.absoluteExpiresAt) - now
    const envelope = this.cipher.encrypt(JSON.stringify(record), `session:${id}`)
    await this.store.save(id, this.userKey(record.userId), record.createdAt, envelope, Math.max(1, ttl))
  }

  /** Decrypts, or undefined when the value cannot be read (retired key, tampering). */
  private open<V>(envelope: string, associatedData: string): V | undefined {
    try {
      return JSON.parse(this.cipher.decrypt(envelope, associatedData)) as V
    } catch {
      return undefined
    }
  }

  private hmac(value: string): string {
    return createHmac('sha256', this.fingerprintKey).update(value).digest('base64url').slice(0, 32)
  }

  private userKey(userId: string): string {
    return this.hmac(`user:${userId}`)
  }

  private view(id: string, record: SessionRecord<T>, suspicious: SuspiciousEvent[]): Session<T> {
    const iso = (ms: number) => new Date(ms).toISOString()
    return {
      id,
      userId: record.userId,
      data: record.data,
      createdAt: iso(record.createdAt),
      lastSeenAt: iso(record.lastSeenAt),
      rotatedAt: iso(record.rotatedAt),
      expiresAt: iso(Math.min(record.lastSeenAt + this.idleTtlMs, record.absoluteExpiresAt)),
      absoluteExpiresAt: iso(record.absoluteExpiresAt),
      ip: record.ip,
      device: record.device,
      suspicious,
    }
  }
}
