import type { FastifyReply } from 'fastify'

/** Sends an answer already serialized by the route's own response serializer (`reply.serialize`). */
export function sendSerialized(reply: FastifyReply, body: string): FastifyReply {
  return reply.type('application/json; charset=utf-8').send(body)
}

/**
 * Serialized answers of a read route, for inputs that do not change until the data's version does
 * (a reorg epoch, a block). Bounded (least recently used out first); every entry of an older
 * version is dropped the first time a newer version is seen, and an answer computed under a
 * version that changed while it ran is never stored.
 */
export class AnswerCache {
  private readonly entries = new Map<string, string>()
  private version: string | null = null
  hits = 0
  misses = 0

  constructor(private readonly maxEntries = 512) {}

  get size(): number {
    return this.entries.size
  }

  private at(version: string): void {
    if (version === this.version) return
    this.entries.clear()
    this.version = version
  }

  get(version: string, key: string): string | undefined {
    this.at(version)
    const body = this.entries.get(key)
    if (body === undefined) {
      this.misses++
      return undefined
    }
    this.hits++
    // most recently used last
    this.entries.delete(key)
    this.entries.set(key, body)
    return body
  }

  /** Stores `body` if `version` is still the current one (`current` is read after computing it). */
  set(version: string, current: string, key: string, body: string): void {
    if (version !== current) return
    this.at(version)
    this.entries.set(key, body)
    if (this.entries.size > this.maxEntries) {
      const oldest = this.entries.keys().next().value as string
      this.entries.delete(oldest)
    }
  }
}
