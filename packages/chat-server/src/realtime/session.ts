/**
 * One client connection speaking the Centrifugo v5 JSON protocol. Commands of a connection run
 * one after another (the protocol answers in order); deliveries from the hub are written as they
 * come, after a per-subscription offset check that drops duplicates and catches gaps.
 */
import { randomUUID } from 'node:crypto'
import type { WebSocket } from 'ws'
import { TokenExpiredError } from './auth.js'
import type { Delivery } from './broker/types.js'
import { parseChannel, userChannel } from './channels.js'
import {
  type DisconnectReason,
  Disconnects,
  Errors,
  type ProtocolError,
  UNSUBSCRIBE_INSUFFICIENT_STATE,
} from './codes.js'
import type { GatewayContext } from './context.js'
import { SharedFrame, writeShared } from './frame.js'
import type { HubEntry } from './hub.js'
import {
  type ClientInfo,
  type Command,
  type ConnectRequest,
  type HistoryRequest,
  methodOf,
  type Publication,
  type StreamPosition,
  type SubscribeRequest,
  type SubscribeResult,
} from './protocol.js'

const NEWLINE = Buffer.from('\n')
const CLOSE_GRACE_MS = 5000

class CommandError extends Error {
  constructor(readonly error: ProtocolError) {
    super(error.message)
  }
}

class DisconnectError extends Error {
  constructor(readonly disconnect: DisconnectReason) {
    super(disconnect.reason)
  }
}

/** A pending subscription collects deliveries until its subscribe reply is written. */
const MAX_PENDING_DELIVERIES = 10_000

class Subscription implements HubEntry {
  offset = 0
  epoch = ''
  pending: Delivery[] | null = []
  expiresAt = 0
  constructor(
    readonly session: Session,
    readonly channel: string,
    readonly serverSide: boolean,
    readonly joinLeave: boolean,
  ) {}

  deliver(delivery: Delivery, frame: SharedFrame): boolean {
    return this.session.deliver(this, delivery, frame)
  }
}

interface Identity {
  appId: string
  userId: string
  exp?: number
  info?: unknown
}

export class Session {
  readonly id = randomUUID()
  private identity: Identity | null = null
  private readonly subs = new Map<string, Subscription>()
  private queue: Promise<void> = Promise.resolve()
  private closed = false
  private staleTimer: NodeJS.Timeout | null
  private expireTimer: NodeJS.Timeout | null = null
  private awaitingPong = false
  /** Pushes (shared frames) and replies behind them, waiting for this turn's flush. */
  private queued: (SharedFrame | Buffer)[] | null = null
  private readonly typingBuckets = new Map<string, { tokens: number; at: number }>()
  /**
   * Channels whose subscribe is being authorized, and whether a server-side unsubscribe for them
   * arrived meanwhile: the access check may have read the membership before it was removed.
   */
  private readonly authorizing = new Map<string, { revoked: boolean }>()
  private readonly commandBucket: { tokens: number; at: number }

  constructor(
    private readonly ws: WebSocket,
    private readonly ctx: GatewayContext,
    /** The client's address, for the failed-authentication budget. */
    readonly ip = '',
  ) {
    this.commandBucket = { tokens: ctx.options.commandRate.burst, at: Date.now() }
    this.staleTimer = setTimeout(() => this.disconnect(Disconnects.stale), ctx.options.staleMs)
    ws.on('message', (data, isBinary) => this.onFrame(data as Buffer, isBinary))
    ws.on('close', () => this.cleanup())
    ws.on('error', () => this.cleanup())
  }

  get userId(): string | undefined {
    return this.identity?.userId
  }

  get appId(): string | undefined {
    return this.identity?.appId
  }

  private get info(): ClientInfo {
    const info: ClientInfo = { user: this.identity?.userId ?? '', client: this.id }
    if (this.identity?.info !== undefined) info.conn_info = this.identity.info
    return info
  }

  // ---- transport -------------------------------------------------------------------------

  private onFrame(data: Buffer, isBinary: boolean): void {
    if (this.closed) return
    if (isBinary) {
      this.disconnect(Disconnects.badRequest)
      return
    }
    const lines = data.toString('utf8').split('\n')
    const commands: Command[] = []
    for (const line of lines) {
      if (line.trim() === '') continue
      let cmd: unknown
      try {
        cmd = JSON.parse(line)
      } catch {
        this.disconnect(Disconnects.badRequest)
        return
      }
      if (cmd === null || typeof cmd !== 'object' || Array.isArray(cmd)) {
        this.disconnect(Disconnects.badRequest)
        return
      }
      commands.push(cmd as Command)
    }
    this.queue = this.queue.then(async () => {
      for (const cmd of commands) {
        if (this.closed) return
        await this.handle(cmd)
      }
    })
  }

  private send(text: string): void {
    // Behind queued pushes when there are any, so replies and pushes keep their order.
    if (this.queued) this.queued.push(Buffer.from(text))
    else this.write(text)
  }

  /**
   * Pushes written in the same event-loop turn leave as one frame of newline-separated lines (the
   * JSON protocol allows it): one syscall per connection per turn instead of one per message.
   */
  private enqueue(frame: SharedFrame): boolean {
    if (this.closed || this.ws.readyState !== 1) return false
    if (this.queued) this.queued.push(frame)
    else {
      this.queued = [frame]
      this.ctx.scheduleFlush(this)
    }
    return true
  }

  /** Called once per turn by the gateway for every connection with queued pushes. */
  flush(): void {
    const queued = this.queued
    this.queued = null
    if (!queued || queued.length === 0) return
    const first = queued[0] as SharedFrame | Buffer
    if (queued.length === 1) {
      if (Buffer.isBuffer(first)) this.write(first)
      else if (!this.closed && this.ws.readyState === 1) {
        // The common case at chat rates: one push this turn, the shared frame as it is.
        writeShared(this.ws, first)
        this.checkBuffered()
      }
      return
    }
    const parts: Buffer[] = []
    for (const item of queued) parts.push(Buffer.isBuffer(item) ? item : item.line, NEWLINE)
    parts.pop()
    this.write(Buffer.concat(parts))
  }

  private write(data: string | Buffer): boolean {
    if (this.closed || this.ws.readyState !== 1) return false
    // Shared fan-out bytes go out as text frames: the protocol is JSON.
    this.ws.send(data, { binary: false })
    return this.checkBuffered()
  }

  private checkBuffered(): boolean {
    if (this.ws.bufferedAmount > this.ctx.options.maxBufferedBytes) {
      // A reader that cannot keep up is cut loose instead of growing our memory.
      this.disconnect(Disconnects.slow)
      return false
    }
    return true
  }

  /** Called by the hub for each delivery on a channel this connection reads. */
  deliver(sub: Subscription, delivery: Delivery, frame: SharedFrame): boolean {
    if (this.closed) return false
    if (sub.pending) {
      if (sub.pending.length >= MAX_PENDING_DELIVERIES) this.insufficientState(sub)
      else sub.pending.push(delivery)
      return false
    }
    if (delivery.offset !== undefined) {
      if (delivery.epoch !== sub.epoch || delivery.offset > sub.offset + 1) {
        this.insufficientState(sub)
        return false
      }
      if (delivery.offset <= sub.offset) return false
      sub.offset = delivery.offset
    } else if (delivery.kind !== 'pub' && !sub.joinLeave) {
      return false
    }
    return this.enqueue(frame)
  }

  /** A gap in a stream: the client resubscribes (or reconnects) and recovers from its position. */
  private insufficientState(sub: Subscription): void {
    if (sub.serverSide) {
      this.disconnect(Disconnects.insufficientState)
      return
    }
    this.dropSubscription(sub, false)
    this.send(JSON.stringify({ push: { channel: sub.channel, unsubscribe: UNSUBSCRIBE_INSUFFICIENT_STATE } }))
  }

  /** Ping tick from the gateway: a ping unanswered since the last tick ends the connection. */
  tick(now: number): void {
    if (this.closed || !this.identity) return
    if (this.awaitingPong) {
      this.disconnect(Disconnects.noPong)
      return
    }
    for (const sub of this.subs.values()) {
      if (sub.expiresAt > 0 && now > sub.expiresAt + this.ctx.options.expiredCloseDelayMs) {
        this.disconnect(Disconnects.subExpired)
        return
      }
    }
    this.awaitingPong = true
    this.send('{}')
    if (this.ctx.options.presence) {
      // Presence entries expire unless refreshed, so a dead node's clients drop out by themselves.
      for (const sub of this.subs.values()) {
        if (!sub.serverSide && !sub.pending)
          this.ctx.broker.addPresence(sub.channel, this.id, this.info).catch(() => {})
      }
    }
  }

  disconnect(reason: DisconnectReason): void {
    if (this.closed) return
    this.ctx.metrics.disconnects.inc({ code: String(reason.code) })
    try {
      this.ws.close(reason.code, JSON.stringify({ reason: reason.reason, reconnect: reason.code < 3500 }))
      // A peer that does not read never receives the close frame: its buffered bytes are freed
      // after a grace period instead of waiting for ws's 30 s close timeout.
      setTimeout(() => this.ws.terminate(), CLOSE_GRACE_MS).unref()
    } catch {
      this.ws.terminate()
    }
    this.cleanup(true)
  }

  private cleanup(counted = false): void {
    if (this.closed) return
    this.closed = true
    if (!counted) this.ctx.metrics.disconnects.inc({ code: String(Disconnects.connectionClosed.code) })
    if (this.staleTimer) clearTimeout(this.staleTimer)
    if (this.expireTimer) clearTimeout(this.expireTimer)
    for (const sub of this.subs.values()) this.dropSubscription(sub, true)
    this.ctx.onSessionClosed(this)
  }

  // ---- commands --------------------------------------------------------------------------

  private async handle(cmd: Command): Promise<void> {
    const method = methodOf(cmd)
    const id = cmd.id
    if (id === undefined || id === 0) {
      // No id: a pong (empty object) or an async `send`, which this gateway has no handler for.
      this.awaitingPong = false
      return
    }
    if (typeof id !== 'number' || !Number.isInteger(id) || id < 0)
      return this.disconnect(Disconnects.badRequest)
    if (!method) return this.replyError(id, Errors.methodNotFound)
    this.ctx.metrics.commands.inc({ method })
    if (!this.identity && method !== 'connect') return this.disconnect(Disconnects.badRequest)
    // Refused before any lookup: a client looping on denied commands costs a counter, not a query.
    if (method !== 'ping' && !this.takeCommandToken()) return this.replyError(id, Errors.tooManyRequests)
    try {
      switch (method) {
        case 'connect':
          return await this.connect(id, cmd.connect ?? {})
        case 'subscribe':
          return await this.subscribe(id, cmd.subscribe ?? {})
        case 'unsubscribe':
          return this.unsubscribe(id, cmd.unsubscribe?.channel)
        case 'publish':
          return await this.publish(id, cmd.publish?.channel, cmd.publish?.data)
        case 'presence':
          return await this.presence(id, cmd.presence?.channel)
        case 'presence_stats':
          return await this.presenceStats(id, cmd.presence_stats?.channel)
        case 'history':
          return await this.history(id, cmd.history ?? {})
        case 'refresh':
          return await this.refresh(id, cmd.refresh?.token)
        case 'sub_refresh':
          return await this.subRefresh(id, cmd.sub_refresh?.channel, cmd.sub_refresh?.token)
        case 'ping':
          return this.reply(id, { ping: {} })
        case 'rpc':
        case 'send':
          return this.replyError(id, Errors.notAvailable)
      }
    } catch (err) {
      if (err instanceof CommandError) return this.replyError(id, err.error)
      if (err instanceof DisconnectError) return this.disconnect(err.disconnect)
      this.ctx.log.error({ err, method }, 'realtime command failed')
      this.replyError(id, Errors.internal)
    }
  }

  private reply(id: number, result: Record<string, unknown>): void {
    this.send(JSON.stringify({ id, ...result }))
  }

  private replyError(id: number, error: ProtocolError): void {
    this.send(JSON.stringify({ id, error }))
  }

  private async verifyConnection(token: unknown): Promise<Identity> {
    try {
      if (typeof token !== 'string' || token === '') throw new Error('no token')
      return await this.ctx.verifier.verifyConnectionToken(token)
    } catch (err) {
      if (err instanceof TokenExpiredError) throw new CommandError(Errors.tokenExpired)
      // A wrong, forged or revoked token spends the address's failed-authentication budget, as on HTTP.
      this.ctx.onAuthFailure(this)
      throw new DisconnectError(Disconnects.invalidToken)
    }
  }

  private expiry(exp: number | undefined): { expires?: boolean; ttl?: number } {
    if (!exp) return {}
    return { expires: true, ttl: Math.max(1, Math.floor(exp - Date.now() / 1000)) }
  }

  private scheduleExpiry(): void {
    if (this.expireTimer) clearTimeout(this.expireTimer)
    this.expireTimer = null
    const exp = this.identity?.exp
    if (!exp) return
    const due = exp * 1000 - Date.now() + this.ctx.options.expiredCloseDelayMs
    this.expireTimer = setTimeout(
      () => {
        if (this.identity?.exp && this.identity.exp * 1000 <= Date.now()) this.disconnect(Disconnects.expired)
      },
      Math.max(0, due),
    )
  }

  private async connect(id: number, req: ConnectRequest): Promise<void> {
    if (this.identity) return this.disconnect(Disconnects.badRequest)
    const identity = await this.verifyConnection(req.token)
    if (this.closed) return
    this.identity = identity
    if (this.staleTimer) clearTimeout(this.staleTimer)
    this.staleTimer = null
    this.scheduleExpiry()
    // The user's own channel is subscribed on the server side, recovering from the client's position.
    const own = userChannel(identity.appId, identity.userId)
    const ownSub = new Subscription(this, own, true, false)
    const recover = req.subs?.[own]
    // Presence on the own channel counts the user's connections across nodes (online/offline).
    const result = await this.attach(ownSub, recover?.recover ? recover : undefined, true)
    if (this.closed) return
    this.ctx.onSessionConnected(this)
    this.ctx.metrics.connects.inc()
    this.reply(id, {
      connect: {
        client: this.id,
        version: this.ctx.version,
        node: this.ctx.nodeId,
        ...this.expiry(identity.exp),
        subs: { [own]: result },
        ping: Math.round(this.ctx.options.pingIntervalMs / 1000),
        pong: true,
      },
    })
    this.activate(ownSub)
  }

  private async refresh(id: number, token: unknown): Promise<void> {
    const identity = await this.verifyConnection(token)
    if (identity.appId !== this.identity?.appId || identity.userId !== this.identity.userId) {
      throw new DisconnectError(Disconnects.invalidToken)
    }
    this.identity = { ...this.identity, exp: identity.exp }
    this.scheduleExpiry()
    this.reply(id, { refresh: { client: this.id, version: this.ctx.version, ...this.expiry(identity.exp) } })
    await this.recheckSubscriptions()
  }

  /**
   * A refreshed connection keeps only the channels its user may still read: membership may have
   * been lost while no server-side unsubscribe reached this node (a relay outage, a missed
   * message). Channels opened by a subscription token are checked at their own sub_refresh.
   */
  private async recheckSubscriptions(): Promise<void> {
    const { appId, userId } = this.identity as Identity
    const checked = [...this.subs.values()].filter((sub) => !sub.serverSide && sub.expiresAt === 0)
    // In parallel: the API's access loader answers checks that meet in one turn with one query.
    const allowed = await Promise.all(
      checked.map((sub) => this.ctx.authorizer.canSubscribe(appId, userId, sub.channel)),
    )
    checked.forEach((sub, i) => {
      if (!allowed[i]) this.forceUnsubscribe(sub.channel)
    })
  }

  /** Checks a client-named channel: well formed, this tenant's, and readable by this user. */
  private async authorize(channel: unknown, token?: unknown): Promise<{ channel: string; exp?: number }> {
    const parsed = parseChannel(channel)
    if (!parsed) throw new CommandError(Errors.unknownChannel)
    const name = channel as string
    const identity = this.identity as Identity
    if (parsed.appId !== identity.appId) throw new CommandError(Errors.permissionDenied)
    if (parsed.kind === 'user') {
      if (parsed.id === identity.userId) throw new CommandError(Errors.alreadySubscribed)
      throw new CommandError(Errors.permissionDenied)
    }
    if (typeof token === 'string' && token !== '') {
      const verify = this.ctx.verifier.verifySubscriptionToken
      if (!verify) throw new CommandError(Errors.permissionDenied)
      try {
        const grant = await verify.call(this.ctx.verifier, token, name)
        if (grant.appId !== identity.appId || grant.userId !== identity.userId) {
          throw new CommandError(Errors.permissionDenied)
        }
        return { channel: name, exp: grant.exp }
      } catch (err) {
        if (err instanceof CommandError) throw err
        if (err instanceof TokenExpiredError) throw new CommandError(Errors.tokenExpired)
        throw new CommandError(Errors.permissionDenied)
      }
    }
    const pending = { revoked: false }
    this.authorizing.set(name, pending)
    try {
      const allowed = await this.ctx.authorizer.canSubscribe(identity.appId, identity.userId, name)
      if (!allowed || pending.revoked) throw new CommandError(Errors.permissionDenied)
    } finally {
      if (this.authorizing.get(name) === pending) this.authorizing.delete(name)
    }
    return { channel: name }
  }

  private async subscribe(id: number, req: SubscribeRequest): Promise<void> {
    if (typeof req.channel === 'string' && this.subs.has(req.channel))
      throw new CommandError(Errors.alreadySubscribed)
    if (this.subs.size >= this.ctx.options.maxChannelsPerConnection)
      throw new CommandError(Errors.limitExceeded)
    const { channel, exp } = await this.authorize(req.channel, req.token)
    if (this.closed) return
    if (this.subs.has(channel)) throw new CommandError(Errors.alreadySubscribed)
    const sub = new Subscription(this, channel, false, req.join_leave === true)
    if (exp) sub.expiresAt = exp * 1000
    const recover = req.recover ? { offset: req.offset, epoch: req.epoch } : undefined
    const result = await this.attach(sub, recover, true)
    if (this.closed) return
    this.reply(id, { subscribe: { ...result, ...this.expiry(exp) } })
    this.activate(sub)
  }

  /**
   * Joins the hub first, then reads the stream: a publication racing the read is either in the
   * history read or in the pending buffer, and the offset check drops the copy.
   */
  private async attach(
    sub: Subscription,
    recover: { offset?: number; epoch?: string } | undefined,
    presence: boolean,
  ): Promise<SubscribeResult> {
    this.subs.set(sub.channel, sub)
    try {
      await this.ctx.hub.add(sub)
      const result = await this.readStream(sub.channel, recover)
      sub.offset = result.offset
      sub.epoch = result.epoch
      if (presence && this.ctx.options.presence) {
        await this.ctx.broker.addPresence(sub.channel, this.id, this.info)
        if (this.ctx.options.joinLeave && !sub.serverSide)
          await this.ctx.broker.publishJoin(sub.channel, this.info)
      }
      return result.reply
    } catch (err) {
      this.subs.delete(sub.channel)
      this.ctx.hub.remove(sub)
      throw err
    }
  }

  private activate(sub: Subscription): void {
    const pending = sub.pending ?? []
    sub.pending = null
    for (const delivery of pending) this.deliver(sub, delivery, new SharedFrame(delivery.frame))
  }

  private async readStream(
    channel: string,
    recover: { offset?: number; epoch?: string } | undefined,
  ): Promise<{ offset: number; epoch: string; reply: SubscribeResult }> {
    const base = { recoverable: true, positioned: true }
    if (!recover) {
      const { position } = await this.ctx.broker.history(channel, { limit: 0 })
      return { ...position, reply: { ...base, epoch: position.epoch, offset: position.offset } }
    }
    const since: StreamPosition = { offset: Number(recover.offset ?? 0), epoch: String(recover.epoch ?? '') }
    const { publications, position } = await this.ctx.broker.history(channel, {
      since,
      limit: this.ctx.options.historySize + 1,
    })
    const recovered = isContiguous(since, position, publications)
    this.ctx.metrics.recoveries.inc({ outcome: recovered ? 'recovered' : 'not_recovered' })
    const top = Math.max(position.offset, publications.at(-1)?.offset ?? 0)
    return {
      offset: top,
      epoch: position.epoch,
      reply: {
        ...base,
        epoch: position.epoch,
        offset: top,
        was_recovering: true,
        recovered,
        publications: recovered ? publications : [],
      },
    }
  }

  private unsubscribe(id: number, channel: unknown): void {
    const sub = typeof channel === 'string' ? this.subs.get(channel) : undefined
    if (sub && !sub.serverSide) this.dropSubscription(sub, false)
    this.reply(id, { unsubscribe: {} })
  }

  private dropSubscription(sub: Subscription, closing: boolean): void {
    if (!closing) this.subs.delete(sub.channel)
    this.ctx.hub.remove(sub)
    if (this.ctx.options.presence) {
      const info = this.info
      this.ctx.broker.removePresence(sub.channel, this.id).catch(() => {})
      if (this.ctx.options.joinLeave && !sub.serverSide)
        this.ctx.broker.publishLeave(sub.channel, info).catch(() => {})
    }
  }

  private subscribed(channel: unknown): Subscription {
    const sub = typeof channel === 'string' ? this.subs.get(channel) : undefined
    if (!sub) throw new CommandError(Errors.permissionDenied)
    return sub
  }

  private async publish(id: number, channel: unknown, data: unknown): Promise<void> {
    const parsed = parseChannel(channel)
    if (!parsed) throw new CommandError(Errors.unknownChannel)
    const identity = this.identity as Identity
    // Clients publish only ephemeral events allowed by policy (typing) into chat channels they read;
    // everything durable goes through the API and the outbox.
    const type = data !== null && typeof data === 'object' ? (data as { type?: unknown }).type : undefined
    if (
      parsed.kind !== 'chat' ||
      parsed.appId !== identity.appId ||
      typeof type !== 'string' ||
      !this.ctx.options.clientPublishTypes.includes(type)
    ) {
      throw new CommandError(Errors.permissionDenied)
    }
    const name = channel as string
    if (
      !this.subs.has(name) &&
      !(await this.ctx.authorizer.canSubscribe(identity.appId, identity.userId, name))
    ) {
      throw new CommandError(Errors.permissionDenied)
    }
    if (!this.takeTypingToken(name)) throw new CommandError(Errors.tooManyRequests)
    await this.ctx.broker.publish(name, { type, user: identity.userId }, { history: false, info: this.info })
    this.reply(id, { publish: {} })
  }

  private takeCommandToken(): boolean {
    const { perSecond, burst } = this.ctx.options.commandRate
    return takeToken(this.commandBucket, perSecond, burst)
  }

  private takeTypingToken(channel: string): boolean {
    const { perSecond, burst } = this.ctx.options.typingRate
    let bucket = this.typingBuckets.get(channel)
    if (!bucket) {
      bucket = { tokens: burst, at: Date.now() }
      this.typingBuckets.set(channel, bucket)
    }
    return takeToken(bucket, perSecond, burst)
  }

  private async presence(id: number, channel: unknown): Promise<void> {
    const sub = this.subscribed(channel)
    if (!this.ctx.options.presence) throw new CommandError(Errors.notAvailable)
    this.reply(id, { presence: { presence: await this.ctx.broker.presence(sub.channel) } })
  }

  private async presenceStats(id: number, channel: unknown): Promise<void> {
    const sub = this.subscribed(channel)
    if (!this.ctx.options.presence) throw new CommandError(Errors.notAvailable)
    const stats = await this.ctx.broker.presenceStats(sub.channel)
    this.reply(id, { presence_stats: { num_clients: stats.numClients, num_users: stats.numUsers } })
  }

  private async history(id: number, req: HistoryRequest): Promise<void> {
    const sub = this.subscribed(req.channel)
    const limit = Math.min(Math.max(0, Number(req.limit ?? 0) || 0), this.ctx.options.historySize)
    const since = req.since
      ? { offset: Number(req.since.offset ?? 0), epoch: String(req.since.epoch ?? '') }
      : undefined
    const { publications, position } = await this.ctx.broker.history(sub.channel, {
      since,
      limit: since ? this.ctx.options.historySize + 1 : limit,
      reverse: since ? false : req.reverse === true,
    })
    let pubs = publications
    if (since) {
      if (!isContiguous(since, position, publications)) throw new CommandError(Errors.unrecoverablePosition)
      if (req.reverse) pubs = [...pubs].reverse()
      pubs = limit > 0 ? pubs.slice(0, limit) : []
    }
    this.reply(id, { history: { publications: pubs, epoch: position.epoch, offset: position.offset } })
  }

  private async subRefresh(id: number, channel: unknown, token: unknown): Promise<void> {
    const sub = this.subscribed(channel)
    let exp: number | undefined
    try {
      ;({ exp } = await this.authorize(sub.channel, typeof token === 'string' && token ? token : undefined))
    } catch (err) {
      // Access is gone (or the token is bad): the subscription ends here, not at its expiry.
      if (err instanceof CommandError && err.error.code !== Errors.tokenExpired.code) {
        this.forceUnsubscribe(sub.channel)
      }
      throw err
    }
    sub.expiresAt = exp ? exp * 1000 : 0
    this.reply(id, { sub_refresh: this.expiry(exp) })
  }

  /** Server API `disconnect` and `unsubscribe` reach the connection through these. */
  forceUnsubscribe(channel: string): void {
    const pending = this.authorizing.get(channel)
    if (pending) pending.revoked = true
    const sub = this.subs.get(channel)
    if (!sub || sub.serverSide) return
    this.dropSubscription(sub, false)
    this.send(
      JSON.stringify({ push: { channel, unsubscribe: { code: 2000, reason: 'server unsubscribe' } } }),
    )
  }
}

/** Token bucket: refills `perSecond` up to `burst`; true when a token was taken. */
function takeToken(bucket: { tokens: number; at: number }, perSecond: number, burst: number): boolean {
  const now = Date.now()
  bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.at) / 1000) * perSecond)
  bucket.at = now
  if (bucket.tokens < 1) return false
  bucket.tokens -= 1
  return true
}

/** True when `publications` hold every offset after `since` up to the stream top, same epoch. */
export function isContiguous(
  since: StreamPosition,
  top: StreamPosition,
  publications: Publication[],
): boolean {
  if (since.epoch !== top.epoch) return false
  if (since.offset > top.offset) return false
  if (since.offset === top.offset) return true
  let expected = since.offset + 1
  for (const pub of publications) {
    if (pub.offset !== expected) return false
    expected++
  }
  return expected - 1 >= top.offset
}
