import type { PendingMessage } from '../store/events.js'
import type { PendingStorage } from './storage.js'

/** The slice of the IndexedDB API used here (the package builds without the DOM library). */
interface IdbRequest<T> {
  result: T
  error: unknown
  onsuccess: (() => void) | null
  onerror: (() => void) | null
}
interface IdbOpenRequest extends IdbRequest<IdbDatabase> {
  onupgradeneeded: (() => void) | null
}
interface IdbDatabase {
  objectStoreNames: { contains(name: string): boolean }
  createObjectStore(name: string, options: { keyPath: string[] }): IdbStore
  transaction(store: string, mode: 'readonly' | 'readwrite'): { objectStore(name: string): IdbStore }
}
interface IdbStore {
  put(value: unknown): IdbRequest<unknown>
  delete(key: unknown): IdbRequest<unknown>
  getAll(): IdbRequest<unknown[]>
  createIndex(name: string, keyPath: string): void
}
export interface IdbFactory {
  open(name: string, version: number): IdbOpenRequest
}

const STORE = 'pending'

/** Browsers: unsent messages survive a reload or a closed tab, in IndexedDB. */
export class IndexedDbPendingStorage implements PendingStorage {
  private db: Promise<IdbDatabase> | undefined

  constructor(
    private readonly factory: IdbFactory,
    private readonly name = 'chatsdk-client',
  ) {}

  async load(scope: string): Promise<PendingMessage[]> {
    const rows = (await this.request('readonly', (store) => store.getAll())) as (PendingMessage & {
      scope: string
    })[]
    return rows
      .filter((row) => row.scope === scope)
      .map(({ scope: _scope, ...message }) => message as PendingMessage)
      .sort((a, b) => a.createdAt.localeCompare(b.createdAt))
  }

  async put(scope: string, message: PendingMessage): Promise<void> {
    await this.request('readwrite', (store) => store.put({ ...message, scope }))
  }

  async delete(scope: string, clientMessageId: string): Promise<void> {
    await this.request('readwrite', (store) => store.delete([scope, clientMessageId]))
  }

  private open(): Promise<IdbDatabase> {
    this.db ??= new Promise((resolve, reject) => {
      const request = this.factory.open(this.name, 1)
      request.onupgradeneeded = () => {
        if (!request.result.objectStoreNames.contains(STORE)) {
          request.result.createObjectStore(STORE, { keyPath: ['scope', 'clientMessageId'] })
        }
      }
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
    return this.db
  }

  private async request<T>(
    mode: 'readonly' | 'readwrite',
    run: (store: IdbStore) => IdbRequest<T>,
  ): Promise<T> {
    const db = await this.open()
    return new Promise((resolve, reject) => {
      const request = run(db.transaction(STORE, mode).objectStore(STORE))
      request.onsuccess = () => resolve(request.result)
      request.onerror = () => reject(request.error)
    })
  }
}

/** IndexedDB where the platform has it (browsers), memory otherwise (Node). */
export function defaultIdbFactory(): IdbFactory | undefined {
  return (globalThis as { indexedDB?: IdbFactory }).indexedDB
}
