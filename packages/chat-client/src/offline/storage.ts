import type { PendingMessage } from '../store/events.js'

/**
 * Where unsent messages wait across page reloads. Each client keeps its own `scope`
 * (app and user), so two accounts in one browser never send each other's messages.
 */
export interface PendingStorage {
  load(scope: string): Promise<PendingMessage[]>
  put(scope: string, message: PendingMessage): Promise<void>
  delete(scope: string, clientMessageId: string): Promise<void>
}

/** Node and tests: kept in memory, gone with the process. */
export class MemoryPendingStorage implements PendingStorage {
  private readonly rows = new Map<string, PendingMessage>()
  async load(scope: string): Promise<PendingMessage[]> {
    return [...this.rows.entries()]
      .filter(([key]) => key.startsWith(`${scope}\u0000`))
      .map(([, message]) => structuredClone(message))
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }
  async put(scope: string, message: PendingMessage): Promise<void> {
    this.rows.set(`${scope}\u0000${message.clientMessageId}`, structuredClone(message))
  }
  async delete(scope: string, clientMessageId: string): Promise<void> {
    this.rows.delete(`${scope}\u0000${clientMessageId}`)
  }
}
