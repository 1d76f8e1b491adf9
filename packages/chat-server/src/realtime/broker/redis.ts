/**
 * Redis broker for several gateway nodes, laid out as Centrifugo's Redis engine:
 * - a per-channel stream (XADD with id `<offset>-0`, exact MAXLEN, TTL) for history and recovery;
 * - a meta hash (top offset `s`, epoch `e`) with a longer TTL: when the stream expires the offset
 *   goes on, so a client that asks for the gone range learns `recovered: false`;
 * - PUBLISH to a per-channel pub/sub channel, from the same Lua call that assigns the offset, so
 *   the pub/sub order is the offset order;
 * - presence as a hash of client → info beside a sorted set of expiry times.
 */
import { randomUUID } from 'node:crypto'
import { Redis } from 'ioredis'
import { type ClientInfo, type Publication, pushJoin, pushLeave, type StreamPosition } from '../protocol.js'
import {
  type Broker,
  type BrokerHandler,
  type ControlMessage,
  DEFAULT_HISTORY,
  type HistoryOptions,
  type HistoryQuery,
  type HistoryResult,
  IDEMPOTENCY_WINDOW_SECONDS,
  type PresenceStats,
  type PublishOptions,
  publicationFrame,
} from './types.js'

export interface RedisBrokerOptions {
  url: string
  /** Key and pub/sub prefix: isolates deployments (and test files) sharing one Redis. */
  prefix?: string
  history?: Partial<HistoryOptions>
  /** Presence entries not refreshed within this many seconds are dropped. */
  presenceTtlSeconds?: number
}

// KEYS: stream, meta, idempotency key ('' when none)
// ARGV: frame head, frame tail, history size, stream ttl, meta ttl, new epoch, pubsub channel,
//       published-at ms, stored publication json, idempotency ttl
const PUBLISH_SCRIPT = `
if KEYS[3] ~= '' then
  local prev = redis.call('get', KEYS[3])
  if prev then return prev end
end
local offset = redis.call('hincrby', KEYS[2], 's', 1)
local epoch = redis.call('hget', KEYS[2], 'e')
if not epoch then
  epoch = ARGV[6]
  redis.call('hset', KEYS[2], 'e', epoch)
end
redis.call('expire', KEYS[2], ARGV[5])
redis.call('xadd', KEYS[1], 'MAXLEN', ARGV[3], offset .. '-0', 'd', ARGV[9])
redis.call('expire', KEYS[1], ARGV[4])
redis.call('publish', ARGV[7], 'p\\n' .. offset .. '\\n' .. epoch .. '\\n' .. ARGV[8] .. '\\n' .. ARGV[1] .. offset .. ARGV[2])
local res = offset .. ':' .. epoch
if KEYS[3] ~= '' then redis.call('set', KEYS[3], res, 'EX', ARGV[10]) end
return res
`

// KEYS: stream, meta. ARGV: new epoch, meta ttl, start id ('' = newest), count, reverse flag
const HISTORY_SCRIPT = `
local top = redis.call('hget', KEYS[2], 's')
local epoch = redis.call('hget', KEYS[2], 'e')
if not epoch then
  epoch = ARGV[1]
  redis.call('hset', KEYS[2], 'e', epoch)
  redis.call('expire', KEYS[2], ARGV[2])
end
local entries = {}
local count = tonumber(ARGV[4])
if count ~= 0 then
  if ARGV[5] == '1' then
    entries = redis.call('xrevrange', KEYS[1], '+', '-', 'COUNT', count)
  elseif ARGV[3] ~= '' then
    if count > 0 then
      entries = redis.call('xrange', KEYS[1], ARGV[3], '+', 'COUNT', count)
    else
      entries = redis.call('xrange', KEYS[1], ARGV[3], '+')
    end
  else
    entries = redis.call('xrevrange', KEYS[1], '+', '-', 'COUNT', count)
  end
end
return {top or '0', epoch, entries, ARGV[5]}
`

// KEYS: presence hash, expiry zset. ARGV: now seconds
const PRESENCE_SCRIPT = `
local expired = redis.call('zrangebyscore', KEYS[2], '-inf', ARGV[1])
for _, id in ipairs(expired) do
  redis.call('hdel', KEYS[1], id)
end
if #expired > 0 then redis.call('zremrangebyscore', KEYS[2], '-inf', ARGV[1]) end
return redis.call('hgetall', KEYS[1])
`

type RedisWithScripts = Redis & {
  rtPublish(...args: (string | number)[]): Promise<string>
  rtHistory(...args: (string | number)[]): Promise<[string, string, [string, string[]][], string]>
  rtPresence(...args: (string | number)[]): Promise<string[]>
}

const newEpoch = () => randomUUID().slice(0, 8)

export class RedisBroker implements Broker {
  private readonly client: RedisWithScripts
  private readonly subscriber: Redis
  private handler: BrokerHandler | null = null
  private readonly prefix: string
  private readonly history_: HistoryOptions
  private readonly presenceTtl: number
  private readonly controlChannel: string

  constructor(options: RedisBrokerOptions) {
    this.prefix = options.prefix ?? 'chatsdk:rt:'
    this.history_ = { ...DEFAULT_HISTORY, ...options.history }
    this.presenceTtl = options.presenceTtlSeconds ?? 60
    this.controlChannel = `${this.prefix}control`
    this.client = new Redis(options.url, { maxRetriesPerRequest: 3 }) as RedisWithScripts
    this.client.defineCommand('rtPublish', { numberOfKeys: 3, lua: PUBLISH_SCRIPT })
    this.client.defineCommand('rtHistory', { numberOfKeys: 2, lua: HISTORY_SCRIPT })
    this.client.defineCommand('rtPresence', { numberOfKeys: 2, lua: PRESENCE_SCRIPT })
    this.subscriber = new Redis(options.url, { maxRetriesPerRequest: null, enableReadyCheck: false })
    this.subscriber.on('message', (channel: string, message: string) => this.onMessage(channel, message))
    this.subscriber.subscribe(this.controlChannel).catch(() => {})
  }

  private key(kind: string, channel: string): string {
    return `${this.prefix}${kind}:${channel}`
  }

  private pubsubChannel(channel: string): string {
    return `${this.prefix}ch:${channel}`
  }

  setHandler(handler: BrokerHandler): void {
    this.handler = handler
  }

  private onMessage(redisChannel: string, message: string): void {
    const handler = this.handler
    if (!handler) return
    if (redisChannel === this.controlChannel) {
      try {
        handler.onControl(JSON.parse(message) as ControlMessage)
      } catch {
        // A malformed control message is dropped; control messages come only from our nodes.
      }
      return
    }
    const channel = redisChannel.slice(this.prefix.length + 3)
    // Envelope: kind \n offset \n epoch \n publishedAt \n frame
    const a = message.indexOf('\n')
    const b = message.indexOf('\n', a + 1)
    const c = message.indexOf('\n', b + 1)
    const d = message.indexOf('\n', c + 1)
    if (a < 0 || b < 0 || c < 0 || d < 0) return
    const kind = message.slice(0, a)
    const offset = message.slice(a + 1, b)
    handler.onDelivery({
      kind: kind === 'j' ? 'join' : kind === 'l' ? 'leave' : 'pub',
      channel,
      offset: offset === '' ? undefined : Number(offset),
      epoch: offset === '' ? undefined : message.slice(b + 1, c),
      publishedAt: Number(message.slice(c + 1, d)),
      frame: message.slice(d + 1),
    })
  }

  async publish(
    channel: string,
    data: unknown,
    options: PublishOptions = {},
  ): Promise<StreamPosition | null> {
    const pub: Publication = { data: data ?? null }
    if (options.info) pub.info = options.info
    if (options.tags) pub.tags = options.tags
    const now = Date.now()
    if (options.history === false) {
      await this.client.publish(
        this.pubsubChannel(channel),
        `p\n\n\n${now}\n${publicationFrame(channel, pub)}`,
      )
      return null
    }
    // The offset is known only inside Redis: the frame is sent as head + offset + tail.
    const frame = publicationFrame(channel, pub)
    const head = `${frame.slice(0, -3)},"offset":`
    const tail = '}}}'
    const res = await this.client.rtPublish(
      this.key('stream', channel),
      this.key('meta', channel),
      options.idempotencyKey ? this.key('idem', `${channel}:${options.idempotencyKey}`) : '',
      head,
      tail,
      this.history_.size,
      this.history_.ttlSeconds,
      this.history_.ttlSeconds * 24,
      newEpoch(),
      this.pubsubChannel(channel),
      now,
      JSON.stringify(pub),
      IDEMPOTENCY_WINDOW_SECONDS,
    )
    const sep = res.indexOf(':')
    return { offset: Number(res.slice(0, sep)), epoch: res.slice(sep + 1) }
  }

  async publishJoin(channel: string, info: ClientInfo): Promise<void> {
    await this.client.publish(this.pubsubChannel(channel), `j\n\n\n${Date.now()}\n${pushJoin(channel, info)}`)
  }

  async publishLeave(channel: string, info: ClientInfo): Promise<void> {
    await this.client.publish(
      this.pubsubChannel(channel),
      `l\n\n\n${Date.now()}\n${pushLeave(channel, info)}`,
    )
  }

  async publishControl(message: ControlMessage): Promise<void> {
    await this.client.publish(this.controlChannel, JSON.stringify(message))
  }

  async subscribe(channel: string): Promise<void> {
    await this.subscriber.subscribe(this.pubsubChannel(channel))
  }

  async unsubscribe(channel: string): Promise<void> {
    await this.subscriber.unsubscribe(this.pubsubChannel(channel))
  }

  async history(channel: string, query: HistoryQuery): Promise<HistoryResult> {
    const start = query.since && !query.reverse ? `${query.since.offset + 1}-0` : ''
    const [top, epoch, entries] = await this.client.rtHistory(
      this.key('stream', channel),
      this.key('meta', channel),
      newEpoch(),
      this.history_.ttlSeconds * 24,
      start,
      query.limit,
      query.reverse ? '1' : '0',
    )
    const publications: Publication[] = []
    for (const [id, fields] of entries ?? []) {
      const raw = fields[1]
      if (raw === undefined) continue
      const pub = JSON.parse(raw) as Publication
      pub.offset = Number(id.slice(0, id.indexOf('-')))
      publications.push(pub)
    }
    // Without `since` the newest come first from XREVRANGE; present them oldest first.
    if (!query.since && !query.reverse) publications.reverse()
    return { publications, position: { offset: Number(top), epoch } }
  }

  async removeHistory(channel: string): Promise<void> {
    await this.client.del(this.key('stream', channel))
  }

  async addPresence(channel: string, clientId: string, info: ClientInfo): Promise<void> {
    const expireAt = Math.floor(Date.now() / 1000) + this.presenceTtl
    await this.client
      .multi()
      .hset(this.key('presence', channel), clientId, JSON.stringify(info))
      .zadd(this.key('presence-exp', channel), expireAt, clientId)
      .expire(this.key('presence', channel), this.presenceTtl)
      .expire(this.key('presence-exp', channel), this.presenceTtl)
      .exec()
  }

  async removePresence(channel: string, clientId: string): Promise<void> {
    await this.client
      .multi()
      .hdel(this.key('presence', channel), clientId)
      .zrem(this.key('presence-exp', channel), clientId)
      .exec()
  }

  async presence(channel: string): Promise<Record<string, ClientInfo>> {
    const flat = await this.client.rtPresence(
      this.key('presence', channel),
      this.key('presence-exp', channel),
      Math.floor(Date.now() / 1000),
    )
    const out: Record<string, ClientInfo> = {}
    for (let i = 0; i + 1 < flat.length; i += 2) out[flat[i] as string] = JSON.parse(flat[i + 1] as string)
    return out
  }

  async presenceStats(channel: string): Promise<PresenceStats> {
    const all = Object.values(await this.presence(channel))
    return { numClients: all.length, numUsers: new Set(all.map((i) => i.user)).size }
  }

  async close(): Promise<void> {
    this.handler = null
    this.subscriber.disconnect()
    await this.client.quit().catch(() => this.client.disconnect())
  }
}
