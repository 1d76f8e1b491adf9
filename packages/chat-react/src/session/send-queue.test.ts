import { describe, expect, it } from 'vitest'
import { ChatApiError } from './http.js'
import { type QueuedSend, SendQueue } from './send-queue.js'
import type { StoredMessage } from './store.js'
import type { Message } from './wire.js'

/** A Storage in memory: the queue saves itself on every change. */
function memoryStorage() {
  const items = new Map<string, string>()
  return {
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => void items.set(key, value),
  }
}

const item = (n: number): QueuedSend => ({
  channelId: 'general',
  input: { text: `m${n}`, clientMessageId: `c${n}` },
  local: { id: `local:c${n}`, clientMessageId: `c${n}`, pending: true } as StoredMessage,
})

function queueWith(send: (item: QueuedSend) => Promise<{ message: Message }>, storage = memoryStorage()) {
  let online = true
  const sent: string[] = []
  const failed: string[] = []
  const queue = new SendQueue({
    storage,
    key: 'pending',
    isOnline: () => online,
    send,
    onSent: (message) => sent.push(message.clientMessageId!),
    onFailed: (local) => failed.push(local.clientMessageId!),
    onChange: () => {},
  })
  return { queue, sent, failed, storage, setOnline: (value: boolean) => (online = value) }
}

const reply = (entry: QueuedSend) =>
  Promise.resolve({ message: { clientMessageId: entry.input.clientMessageId } as Message })

describe('the send queue', () => {
  it('keeps sends made offline and sends them in order, with their clientMessageId, once back', async () => {
    const attempts: string[] = []
    const q = queueWith((entry) => {
      attempts.push(entry.input.clientMessageId)
      return reply(entry)
    })
    q.setOnline(false)
    void q.queue.add(item(1))
    void q.queue.add(item(2))
    void q.queue.add(item(3))
    await q.queue.flush()
    expect(attempts).toEqual([])
    expect(q.queue.items()).toHaveLength(3)
    q.setOnline(true)
    await q.queue.flush()
    expect(attempts).toEqual(['c1', 'c2', 'c3'])
    expect(q.sent).toEqual(['c1', 'c2', 'c3'])
    expect(q.queue.items()).toHaveLength(0)
  })

  it('stops at a send that gets no answer and tries it again later, first', async () => {
    let reachable = false
    const q = queueWith((entry) =>
      reachable ? reply(entry) : Promise.reject(new ChatApiError(0, 'network_error', 'no network')),
    )
    void q.queue.add(item(1))
    void q.queue.add(item(2))
    await q.queue.flush()
    expect(q.queue.items().map((i) => i.input.clientMessageId)).toEqual(['c1', 'c2'])
    reachable = true
    await q.queue.flush()
    expect(q.sent).toEqual(['c1', 'c2'])
  })

  it('gives up on a send the server refuses, and the promise of that send rejects', async () => {
    const q = queueWith((entry) =>
      entry.input.clientMessageId === 'c1'
        ? Promise.reject(new ChatApiError(403, 'muted', 'you are muted'))
        : reply(entry),
    )
    const first = q.queue.add(item(1))
    const second = q.queue.add(item(2))
    await expect(first).rejects.toThrow('you are muted')
    await second
    expect(q.failed).toEqual(['c1'])
    expect(q.sent).toEqual(['c2'])
  })

  it('survives a reload: a new queue on the same storage holds what was unsent', async () => {
    const storage = memoryStorage()
    const q = queueWith(() => new Promise(() => {}), storage)
    q.setOnline(false)
    void q.queue.add(item(1))
    const reloaded = queueWith(reply, storage)
    expect(reloaded.queue.items().map((i) => i.input.clientMessageId)).toEqual(['c1'])
    await reloaded.queue.flush()
    expect(reloaded.sent).toEqual(['c1'])
  })
})
