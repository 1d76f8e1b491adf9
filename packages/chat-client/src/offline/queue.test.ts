import { IDBFactory } from 'fake-indexeddb'
import { describe, expect, it } from 'vitest'
import { ChatError } from '../http/errors.js'
import type { PendingMessage } from '../store/events.js'
import { message } from '../store/test-messages.js'
import type { Message, SendMessageInput } from '../types.js'
import { type IdbFactory, IndexedDbPendingStorage } from './indexeddb.js'
import { OfflineQueue } from './queue.js'
import { MemoryPendingStorage, type PendingStorage } from './storage.js'

function setup(storage: PendingStorage = new MemoryPendingStorage()) {
  let online = false
  let ids = 0
  const sent: SendMessageInput[] = []
  let answer: (body: SendMessageInput) => Promise<Message> = async (body) =>
    message({
      id: `srv-${body.clientMessageId}`,
      seq: sent.length,
      clientMessageId: body.clientMessageId ?? null,
    })
  let snapshots: (readonly PendingMessage[])[] = []
  const queue = new OfflineQueue({
    storage,
    scope: 'app:alice',
    userId: 'alice',
    send: async (_channelId, body) => {
      sent.push(body)
      return answer(body)
    },
    canSend: () => online,
    onChange: (pending) => snapshots.push(pending),
    onSent: () => {},
    backoff: { baseMs: 1, maxMs: 2 },
    newId: () => `c${++ids}`,
  })
  return {
    queue,
    sent,
    get snapshots() {
      return snapshots
    },
    goOnline() {
      online = true
      return queue.flush()
    },
    answerWith(fn: typeof answer) {
      answer = fn
    },
    reset() {
      snapshots = []
    },
  }
}

describe('offline queue', () => {
  it('keeps messages written offline as pending and sends them in order when back online', async () => {
    const q = setup()
    const results = ['one', 'two', 'three'].map((text) => q.queue.enqueue('general', { text }))
    await new Promise((r) => setTimeout(r, 0))
    expect(q.queue.pending.map((p) => [p.text, p.status])).toEqual([
      ['one', 'pending'],
      ['two', 'pending'],
      ['three', 'pending'],
    ])
    expect(q.sent).toHaveLength(0)
    await q.goOnline()
    expect(q.sent.map((b) => b.text)).toEqual(['one', 'two', 'three'])
    expect((await Promise.all(results)).map((m) => m.clientMessageId)).toEqual(['c1', 'c2', 'c3'])
    expect(q.queue.pending).toHaveLength(0)
  })

  it('resends with the same clientMessageId after a failure without an answer', async () => {
    const q = setup()
    let failures = 2
    q.answerWith(async (body) => {
      if (failures-- > 0) throw new ChatError({ status: 0, code: 'network_error', message: 'down' })
      return message({ id: 'm', seq: 1, clientMessageId: body.clientMessageId ?? null })
    })
    const result = q.queue.enqueue('general', { text: 'hi' })
    await q.goOnline()
    await result
    expect(q.sent.map((b) => b.clientMessageId)).toEqual(['c1', 'c1', 'c1'])
  })

  it('marks a refused send failed, sends the next one, and retries or discards on request', async () => {
    const q = setup()
    q.answerWith(async (body) => {
      if (body.text === 'bad') throw new ChatError({ status: 403, code: 'user_muted', message: 'muted' })
      return message({ id: `m-${body.text}`, seq: 1, clientMessageId: body.clientMessageId ?? null })
    })
    const bad = q.queue.enqueue('general', { text: 'bad' })
    const good = q.queue.enqueue('general', { text: 'good' })
    await q.goOnline()
    await expect(bad).rejects.toMatchObject({ code: 'user_muted' })
    await expect(good).resolves.toMatchObject({ id: 'm-good' })
    expect(q.queue.pending.map((p) => [p.text, p.status, p.error?.code])).toEqual([
      ['bad', 'failed', 'user_muted'],
    ])

    q.answerWith(async (body) =>
      message({ id: 'm-bad', seq: 2, clientMessageId: body.clientMessageId ?? null }),
    )
    q.queue.retry('c1')
    await q.queue.flush()
    expect(q.queue.pending).toHaveLength(0)
    expect(q.sent.filter((b) => b.text === 'bad').map((b) => b.clientMessageId)).toEqual(['c1', 'c1'])

    const doomed = q.queue.enqueue('general', { text: 'never' })
    doomed.catch(() => {})
    await q.queue.discard('c3')
    expect(q.queue.pending).toHaveLength(0)
    await expect(doomed).rejects.toMatchObject({ code: 'discarded' })
  })

  it('survives a restart: unsent messages come back from storage and go out', async () => {
    const storage = new MemoryPendingStorage()
    const before = setup(storage)
    void before.queue.enqueue('general', { text: 'written before the reload' }).catch(() => {})
    await new Promise((r) => setTimeout(r, 0))
    before.queue.close()

    const after = setup(storage)
    await after.queue.restore()
    expect(after.queue.pending.map((p) => p.clientMessageId)).toEqual(['c1'])
    await after.goOnline()
    expect(after.sent.map((b) => [b.text, b.clientMessageId])).toEqual([['written before the reload', 'c1']])
    expect(await storage.load('app:alice')).toEqual([])
  })

  it('stores pending messages in IndexedDB, per account', async () => {
    const storage = new IndexedDbPendingStorage(new IDBFactory() as unknown as IdbFactory)
    const q = setup(storage)
    void q.queue.enqueue('general', { text: 'kept in IndexedDB' }).catch(() => {})
    await new Promise((r) => setTimeout(r, 10))
    const stored = await storage.load('app:alice')
    expect(stored.map((p) => [p.text, p.clientMessageId, p.status])).toEqual([
      ['kept in IndexedDB', 'c1', 'pending'],
    ])
    expect(await storage.load('app:bob')).toEqual([])
    await storage.delete('app:alice', 'c1')
    expect(await storage.load('app:alice')).toEqual([])
  })
})
