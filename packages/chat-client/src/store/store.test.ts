import { describe, expect, it } from 'vitest'
import type { Poll } from '../types.js'
import { Emitter } from './emitter.js'
import type { ChatEvent, ClientEvents } from './events.js'
import { ChatStore, TYPING_TTL_MS } from './store.js'
import { channel, message } from './test-messages.js'

function setup() {
  const emitter = new Emitter<ClientEvents>()
  let now = 1_000_000
  const store = new ChatStore(emitter, 'alice', () => now)
  const seen: string[] = []
  for (const name of ['channels', 'messages', 'thread', 'unread', 'reads', 'typing', 'presence'] as const) {
    emitter.on(name, () => seen.push(name))
  }
  store.setChannels([channel({ id: 'general', lastSeq: 2 }), channel({ id: 'random' })])
  seen.length = 0
  return { store, seen, tick: (ms: number) => (now += ms) }
}

let n = 0
const event = <T extends ChatEvent['type']>(type: T, payload: ChatEvent<T>['payload'], seq?: number) =>
  ({ id: `e${++n}`, type, payload, ...(seq === undefined ? {} : { seq }) }) as ChatEvent

describe('ChatStore', () => {
  it('keeps messages in seq order, one per id, whatever order pages and events arrive in', () => {
    const { store } = setup()
    store.addMessages('general', [message({ id: 'm3', seq: 3 }), message({ id: 'm1', seq: 1 })])
    store.apply(event('message.new', { message: message({ id: 'm2', seq: 2 }) }, 2))
    store.addMessages('general', [message({ id: 'm2', seq: 2 }), message({ id: 'm1', seq: 1 })])
    expect(store.getMessages('general').map((m) => m.id)).toEqual(['m1', 'm2', 'm3'])
  })

  it('returns the same snapshot until something changes', () => {
    const { store, seen } = setup()
    store.addMessages('general', [message({ id: 'm1', seq: 1 })])
    const before = store.getMessages('general')
    store.addMessages('general', [message({ id: 'm1', seq: 1 })])
    expect(store.getMessages('general')).toBe(before)
    expect(seen).toEqual(['messages'])
  })

  it("counts others' new messages as unread, not its own, and orders channels by activity", () => {
    const { store } = setup()
    store.apply(
      event(
        'message.new',
        {
          message: message({ id: 'r1', seq: 1, channelId: 'random', createdAt: '2026-02-01T00:00:00.000Z' }),
        },
        1,
      ),
    )
    store.apply(
      event(
        'message.new',
        {
          message: message({
            id: 'r2',
            seq: 2,
            channelId: 'random',
            userId: 'alice',
            createdAt: '2026-02-01T00:00:01.000Z',
          }),
        },
        2,
      ),
    )
    expect(store.getUnreadCount('random')).toBe(1)
    expect(store.getTotalUnreadCount()).toBe(1)
    expect(store.getChannels()[0]?.id).toBe('random')
  })

  it('clears unread when my read marker reaches the end, and records read receipts', () => {
    const { store } = setup()
    store.apply(event('message.new', { message: message({ id: 'g3', seq: 3 }) }, 3))
    expect(store.getUnreadCount('general')).toBe(1)
    store.apply(
      event('read.updated', { channelId: 'general', userId: 'alice', lastReadSeq: 3, lastReadAt: null }),
    )
    expect(store.getUnreadCount('general')).toBe(0)
    store.apply(
      event('read.updated', { channelId: 'general', userId: 'bob', lastReadSeq: 2, lastReadAt: null }),
    )
    expect(store.getReads('general')).toEqual({ alice: 3, bob: 2 })
  })

  it('files replies under their thread and counts them on the parent once', () => {
    const { store } = setup()
    store.addMessages('general', [message({ id: 'p', seq: 1 })])
    const reply = event(
      'thread.reply',
      { message: message({ id: 'r', seq: 2, parentId: 'p' }), parentId: 'p' },
      2,
    )
    store.apply(reply)
    store.apply({ ...reply, id: 'another-delivery-of-the-same-reply' })
    expect(store.getThread('p').map((m) => m.id)).toEqual(['r'])
    expect(store.getMessages('general').map((m) => m.id)).toEqual(['p'])
    expect(store.findMessage('p')?.replyCount).toBe(1)
    expect(store.findMessage('p')?.threadParticipants).toEqual(['bob'])
  })

  it('applies reactions: counts from the server, own reactions for me only', () => {
    const { store } = setup()
    store.addMessages('general', [message({ id: 'm', seq: 1 })])
    store.apply(
      event('reaction.new', {
        messageId: 'm',
        channelId: 'general',
        userId: 'alice',
        type: 'like',
        reactionCounts: { like: 1 },
      }),
    )
    store.apply(
      event('reaction.new', {
        messageId: 'm',
        channelId: 'general',
        userId: 'bob',
        type: 'like',
        reactionCounts: { like: 2 },
      }),
    )
    expect(store.findMessage('m')?.reactionCounts).toEqual({ like: 2 })
    expect(store.findMessage('m')?.ownReactions).toEqual(['like'])
    store.apply(
      event('reaction.deleted', {
        messageId: 'm',
        channelId: 'general',
        userId: 'alice',
        type: 'like',
        reactionCounts: { like: 1 },
      }),
    )
    expect(store.findMessage('m')?.ownReactions).toEqual([])
  })

  it('applies edits and deletes (soft keeps a tombstone, hard removes)', () => {
    const { store } = setup()
    store.addMessages('general', [message({ id: 'a', seq: 1 }), message({ id: 'b', seq: 2 })])
    store.apply(
      event('message.updated', {
        message: message({ id: 'a', seq: 1, text: 'edited', updatedAt: '2026-03-01T00:00:00.000Z' }),
      }),
    )
    store.apply(event('message.deleted', { messageId: 'b', channelId: 'general', seq: 2, hard: false }))
    expect(store.findMessage('a')?.text).toBe('edited')
    expect(store.findMessage('b')?.deletedAt).not.toBeNull()
    store.apply(event('message.deleted', { messageId: 'a', channelId: 'general', seq: 1, hard: true }))
    expect(store.getMessages('general').map((m) => m.id)).toEqual(['b'])
  })

  it('shows others typing until stop, their message, or the time-out; never me', () => {
    const { store, tick } = setup()
    store.apply(event('typing.start', { channelId: 'general', userId: 'alice' }))
    expect(store.getTyping('general')).toHaveLength(0)
    store.apply(event('typing.start', { channelId: 'general', userId: 'bob' }))
    expect(store.getTyping('general').map((t) => t.userId)).toEqual(['bob'])
    store.apply(event('message.new', { message: message({ id: 'x', seq: 3 }) }, 3))
    expect(store.getTyping('general')).toHaveLength(0)
    store.apply(event('typing.start', { channelId: 'general', userId: 'bob' }))
    tick(TYPING_TTL_MS + 1)
    store.expireTyping()
    expect(store.getTyping('general')).toHaveLength(0)
  })

  it('keeps the newest presence per user', () => {
    const { store } = setup()
    store.apply(
      event('presence.changed', { userId: 'bob', status: 'online', at: '2026-01-01T00:00:02.000Z' }),
    )
    store.apply(
      event('presence.changed', { userId: 'bob', status: 'offline', at: '2026-01-01T00:00:01.000Z' }),
    )
    expect(store.getPresence('bob')?.status).toBe('online')
  })

  it('takes who is connected now as online, and lets the next presence event overrule it', () => {
    const { store, seen } = setup()
    store.setOnline(['bob', 'carol'])
    store.setOnline(['bob'])
    expect(seen).toEqual(['presence', 'presence'])
    store.apply(
      event('presence.changed', { userId: 'bob', status: 'offline', at: '2000-01-01T00:00:00.000Z' }),
    )
    expect(store.getPresence('bob')?.status).toBe('offline')
    expect(store.getPresence('carol')?.status).toBe('online')
  })

  it("hides a pending send once the server's copy is in the list", () => {
    const { store } = setup()
    const pending = {
      clientMessageId: 'c1',
      channelId: 'general',
      parentId: null,
      userId: 'alice',
      text: 'hi',
      body: { text: 'hi', clientMessageId: 'c1' },
      createdAt: '2026-01-01T00:00:00.000Z',
      status: 'pending' as const,
      attempts: 1,
    }
    store.setPending([pending])
    const first = store.getPending('general')
    expect(first.map((p) => p.clientMessageId)).toEqual(['c1'])
    expect(store.getPending('general')).toBe(first)
    store.addMessages('general', [message({ id: 'm', seq: 3, userId: 'alice', clientMessageId: 'c1' })])
    expect(store.getPending('general')).toHaveLength(0)
  })

  it('leaves live messages on the server while the list is a window in the past', () => {
    const { store } = setup()
    store.addMessages('general', [message({ id: 'm1', seq: 1 })])
    store.setPaging('general', { status: 'ready', hasNewer: true })
    store.apply(event('message.new', { message: message({ id: 'm9', seq: 9 }) }, 9))
    // not shown after a gap, but counted: the channel knows it has a newer message
    expect(store.getMessages('general').map((m) => m.id)).toEqual(['m1'])
    expect(store.getChannel('general')).toMatchObject({ lastSeq: 9, unreadCount: 1 })
    store.setPaging('general', { hasNewer: false })
    store.addLatest('general', [message({ id: 'm9', seq: 9 })])
    expect(store.getMessages('general').map((m) => m.id)).toEqual(['m1', 'm9'])
  })

  it("takes members' read markers for receipts, never moving one back", () => {
    const { store, seen } = setup()
    const member = (userId: string, lastReadSeq: number) => ({
      userId,
      role: 'member',
      muted: false,
      lastReadSeq,
      joinedAt: '2026-01-01T00:00:00.000Z',
    })
    store.apply(
      event('read.updated', { channelId: 'general', userId: 'bob', lastReadSeq: 5, lastReadAt: null }),
    )
    seen.length = 0
    store.setMembers('general', [member('alice', 2), member('bob', 3)])
    expect(store.getMembers('general').map((m) => m.userId)).toEqual(['alice', 'bob'])
    expect(store.getReads('general')).toEqual({ alice: 2, bob: 5 })
    expect(seen).toEqual(['reads'])
  })

  it("applies the answer to one's own reaction call before its event arrives", () => {
    const { store } = setup()
    store.addMessages('general', [message({ id: 'm', seq: 1, reactionCounts: { like: 1 } })])
    store.setOwnReaction('m', 'like', true, { like: 2 })
    expect(store.findMessage('m')).toMatchObject({ reactionCounts: { like: 2 }, ownReactions: ['like'] })
    // the event of the same reaction changes nothing more
    store.apply(
      event('reaction.new', {
        messageId: 'm',
        channelId: 'general',
        userId: 'alice',
        type: 'like',
        reactionCounts: { like: 2 },
      }),
    )
    expect(store.findMessage('m')?.ownReactions).toEqual(['like'])
    store.setOwnReaction('m', 'like', false, { like: 1 })
    expect(store.findMessage('m')).toMatchObject({ reactionCounts: { like: 1 }, ownReactions: [] })
  })

  it("keeps the reader's own votes when a poll event (built for everyone) arrives", () => {
    const { store } = setup()
    const poll: Poll = {
      id: 'p',
      messageId: 'm',
      channelId: 'general',
      question: 'Lunch?',
      multiple: false,
      anonymous: false,
      createdBy: 'bob',
      closedAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      options: [
        { id: 'soba', text: 'Soba', voteCount: 1 },
        { id: 'udon', text: 'Udon', voteCount: 0 },
      ],
      voterCount: 1,
      ownVotes: ['soba'],
    }
    store.setPoll(poll)
    store.apply(event('poll.updated', { poll: { ...poll, ownVotes: [] } }))
    expect(store.getPoll('p')?.ownVotes).toEqual(['soba'])
  })

  it('counts arriving profiles, so bindings that show names read them again', () => {
    const { store } = setup()
    expect(store.getUser('bob')).toBeUndefined()
    const before = store.usersRevision
    store.setUser({
      id: 'bob',
      name: 'Bob',
      image: null,
      custom: {},
      role: 'user',
      lastActiveAt: null,
      createdAt: '2026-01-01T00:00:00.000Z',
      updatedAt: '2026-01-01T00:00:00.000Z',
    })
    expect(store.getUser('bob')?.name).toBe('Bob')
    expect(store.usersRevision).toBe(before + 1)
  })
})
