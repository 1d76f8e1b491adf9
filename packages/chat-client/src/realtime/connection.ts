import { Centrifuge, type PublicationContext, type Subscription } from 'centrifuge'
import type { ChatEvent } from '../store/events.js'
import {
  type ConnectionInput,
  type ConnectionMachine,
  type ConnectionState,
  initialConnection,
  nextConnection,
} from './connection-state.js'

export interface RealtimeOptions {
  /** `ws(s)://host/connection/websocket`. */
  url: string
  /** A fresh connection token; called at connect and whenever the server says it expired. */
  getToken(): Promise<string>
  /** A WebSocket constructor where the platform has none (Node 20: the `ws` package). */
  WebSocket?: unknown
  /** Reconnect delay bounds, ms (centrifuge backs off exponentially with full jitter between them). */
  minReconnectDelayMs?: number
  maxReconnectDelayMs?: number
  /** A publication on a chat channel or the user's own channel. */
  onEvent(channel: string, event: ChatEvent): void
  /** A subscription (re)established; `recovered: false` after a reconnect means events were lost. */
  onSubscribed(channel: string, info: { wasRecovering: boolean; recovered: boolean }): void
  onState(state: ConnectionState): void
  /** A failure with no better place to go (a token refused for good). */
  onError(error: unknown, context: string): void
}

/**
 * The realtime side, through the public `centrifuge` client: one connection, one subscription
 * per watched chat channel, the user's own channel subscribed by the server. It reports state
 * through the pure machine in connection-state.ts and hands every publication to `onEvent`.
 */
export class RealtimeConnection {
  private readonly centrifuge: Centrifuge
  private readonly subscriptions = new Map<string, Subscription>()
  private machine: ConnectionMachine = initialConnection
  /** The socket was closed because the device went offline; it opens again when the network is back. */
  private pausedForNetwork = false
  private readonly removeNetworkListeners: () => void

  constructor(private readonly options: RealtimeOptions) {
    this.centrifuge = new Centrifuge(options.url, {
      getToken: () => options.getToken(),
      minReconnectDelay: options.minReconnectDelayMs ?? 500,
      maxReconnectDelay: options.maxReconnectDelayMs ?? 20_000,
      ...(options.WebSocket ? { websocket: options.WebSocket } : {}),
    })
    this.centrifuge.on('connecting', () => this.input({ type: 'transport', state: 'connecting' }))
    this.centrifuge.on('connected', () => this.input({ type: 'transport', state: 'connected' }))
    this.centrifuge.on('disconnected', (ctx) => {
      this.input({ type: 'transport', state: 'disconnected' })
      // our own pause while the device is offline: the machine already says so
      if (this.pausedForNetwork) return
      // centrifuge stops for good on these (bad or refused token): the app must know
      if (ctx.code !== 0) this.options.onError(new Error(`realtime disconnected: ${ctx.reason}`), 'realtime')
      if (this.machine.state !== 'closed') this.input({ type: 'stop' })
    })
    this.centrifuge.on('error', (ctx) => this.options.onError(ctx.error, `realtime ${ctx.type}`))
    // the server subscribes each connection to its own user channel
    this.centrifuge.on('publication', (ctx) => this.publication(ctx))
    this.centrifuge.on('subscribed', (ctx) => this.options.onSubscribed(ctx.channel, ctx))
    this.removeNetworkListeners = this.listenToNetwork()
  }

  get state(): ConnectionState {
    return this.machine.state
  }

  connect(): void {
    this.input({ type: 'start' })
    if (this.machine.online) this.centrifuge.connect()
    else this.pausedForNetwork = true
  }

  disconnect(): void {
    this.pausedForNetwork = false
    this.input({ type: 'stop' })
    this.centrifuge.disconnect()
    this.removeNetworkListeners()
  }

  /** Subscribes to a chat channel (`chat:{app}:{channel}`), with recovery from its stream position. */
  watch(channel: string): void {
    if (this.subscriptions.has(channel)) return
    const subscription = this.centrifuge.newSubscription(channel, { recoverable: true, positioned: true })
    subscription.on('publication', (ctx) => this.publication(ctx))
    subscription.on('subscribed', (ctx) => this.options.onSubscribed(channel, ctx))
    subscription.on('error', (ctx) => this.options.onError(ctx.error, `subscription ${channel}`))
    subscription.subscribe()
    this.subscriptions.set(channel, subscription)
  }

  unwatch(channel: string): void {
    const subscription = this.subscriptions.get(channel)
    if (!subscription) return
    subscription.unsubscribe()
    this.centrifuge.removeSubscription(subscription)
    this.subscriptions.delete(channel)
  }

  /** The users connected to a watched chat channel right now (the server's presence). */
  async presentUsers(channel: string): Promise<string[]> {
    const subscription = this.subscriptions.get(channel)
    if (!subscription) return []
    const { clients } = await subscription.presence()
    return [...new Set(Object.values(clients).map((client) => client.user))]
  }

  /** Publishes into a chat channel (the server accepts only typing events this way). */
  async publish(channel: string, data: unknown): Promise<void> {
    await this.subscriptions.get(channel)?.publish(data)
  }

  private publication(ctx: PublicationContext): void {
    const data = ctx.data as Partial<ChatEvent> | undefined
    if (!data || typeof data.id !== 'string' || typeof data.type !== 'string') return
    this.options.onEvent(ctx.channel, data as ChatEvent)
  }

  private input(input: ConnectionInput): void {
    const before = this.machine.state
    this.machine = nextConnection(this.machine, input)
    if (this.machine.state !== before) this.options.onState(this.machine.state)
  }

  /** Browsers report going offline long before a WebSocket notices; Node has no such events. */
  private listenToNetwork(): () => void {
    const target = globalThis as {
      addEventListener?: (type: string, listener: () => void) => void
      removeEventListener?: (type: string, listener: () => void) => void
      navigator?: { onLine?: boolean }
    }
    if (!target.addEventListener || !target.removeEventListener) return () => {}
    if (target.navigator?.onLine === false) this.machine = { ...this.machine, online: false }
    // Offline, the socket would only retry into the void (and browsers log every failed attempt):
    // it is closed, subscriptions and their stream positions kept, and opened again when the
    // network is back, recovering what was missed.
    const running = () => this.machine.state !== 'idle' && this.machine.state !== 'closed'
    const online = () => {
      this.input({ type: 'network', online: true })
      if (!this.pausedForNetwork) return
      this.pausedForNetwork = false
      if (running()) this.centrifuge.connect()
    }
    const offline = () => {
      this.input({ type: 'network', online: false })
      if (!running()) return
      this.pausedForNetwork = true
      this.centrifuge.disconnect()
    }
    target.addEventListener('online', online)
    target.addEventListener('offline', offline)
    return () => {
      target.removeEventListener?.('online', online)
      target.removeEventListener?.('offline', offline)
    }
  }
}
