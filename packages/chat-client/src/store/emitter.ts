/** A minimal typed event emitter: `on` returns its own unsubscribe. */
export class Emitter<Events extends object> {
  private readonly listeners = new Map<keyof Events, Set<(payload: never) => void>>()
  private readonly anyListeners = new Set<() => void>()
  /** Counts emits: a reader that saw the same revision has seen every change. */
  revision = 0

  /** Listens to every event, without its payload (UI bindings re-read what they show). */
  onAny(listener: () => void): () => void {
    this.anyListeners.add(listener)
    return () => void this.anyListeners.delete(listener)
  }

  on<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): () => void {
    const set = this.listeners.get(event) ?? new Set()
    this.listeners.set(event, set)
    set.add(listener as (payload: never) => void)
    return () => this.off(event, listener)
  }

  off<E extends keyof Events>(event: E, listener: (payload: Events[E]) => void): void {
    this.listeners.get(event)?.delete(listener as (payload: never) => void)
  }

  emit<E extends keyof Events>(event: E, payload: Events[E]): void {
    this.revision++
    const set = this.listeners.get(event) ?? []
    // a listener that throws must not starve the others, nor the store that emitted
    for (const listener of [...set]) guarded(() => (listener as (payload: Events[E]) => void)(payload))
    for (const listener of [...this.anyListeners]) guarded(listener)
  }
}

function guarded(call: () => void): void {
  try {
    call()
  } catch (error) {
    queueMicrotask(() => {
      throw error
    })
  }
}
