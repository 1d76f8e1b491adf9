import { describe, expect, it } from 'vitest'
import {
  applyEvent,
  type ChatState,
  emptyEntry,
  initialState,
  mergeMessages,
  type StoredMessage,
} from './store.js'
import type { Channel, Message } from './wire.js'

const channel: Channel = {
  id: 'general',
  type: 'team',
  name: 'general',
  lastSeq: 0,
  lastMessageAt: null,
  realtimeChannel: 'chat:a:general',
}

function message(seq: number, extra: Partial<Message> = {}): Message {
  return {
    id: `m${seq}`,
    channelId: 'general',
    seq,
    userId: 'bob',
    text: `text ${seq}`,
    type: 'regular',
    parentId: null,
    quotedMessageId: null,
    mentions: [],
    attachments: [],
    custom: {},
    clientMessageId: null,
    replyCount: 0,
    threadParticipants: [],
    editedAt: null,
    deletedAt: null,
    createdAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    updatedAt: new Date(Date.UTC(2026, 0, 1, 0, 0, seq)).toISOString(),
    reactionCounts: {},
    ownReactions: [],
    ...extra,
  }
}

const withChannel = (messages: StoredMessage[] = []): ChatState => ({
  ...initialState,
  channels: { general: { ...emptyEntry(channel, [], 0), messages, status: 'ready' } },
})
const event = (type: string, payload: Record<string, unknown>, id = `${type}-${Math.random()}`) => ({
  id,
  type,
  payload,
  createdAt: '2026-01-01T00:00:00.000Z',
})

describe('merging messages into a channel', () => {
  it('keeps seq order whatever order pages and live events arrive in', () => {
    const merged = mergeMessages([message(3), message(5)], [message(4), message(1), message(2)])
    expect(merged.map((m) => m.seq)).toEqual([1, 2, 3, 4, 5])
  })

  it('replaces the pending copy of a sent message with the server’s, never showing both', () => {
    const pending: StoredMessage = {
      ...message(0, { id: 'local:c1', clientMessageId: 'c1', userId: 'alice' }),
      pending: true,
    }
    const merged = mergeMessages(
      [message(1), pending],
      [message(2, { clientMessageId: 'c1', userId: 'alice' })],
    )
    expect(merged.map((m) => [m.id, Boolean(m.pending)])).toEqual([
      ['m1', false],
      ['m2', false],
    ])
  })

  it('keeps pending messages after every sent one, in the order they were written', () => {
    const first: StoredMessage = {
      ...message(0, { id: 'local:a', clientMessageId: 'a' }),
      pending: true,
      createdAt: '2026-01-02T00:00:01Z',
    }
    const second: StoredMessage = {
      ...message(0, { id: 'local:b', clientMessageId: 'b' }),
      pending: true,
      createdAt: '2026-01-02T00:00:02Z',
    }
    const merged = mergeMessages([second, first], [message(9)])
    expect(merged.map((m) => m.id)).toEqual(['m9', 'local:a', 'local:b'])
  })
})

describe('applying realtime events', () => {
  it('adds a new message once and counts it unread when someone else wrote it', () => {
    let state = withChannel([message(1)])
    state = applyEvent(state, event('message.new', { message: message(2) }), 'alice')
    state = applyEvent(state, event('message.new', { message: message(2) }), 'alice')
    expect(state.channels.general!.messages.map((m) => m.seq)).toEqual([1, 2])
    expect(state.channels.general!.unreadCount).toBe(1)
  })

  it('takes reaction counts from the event and tracks only the reader’s own reactions', () => {
    let state = withChannel([message(1)])
    state = applyEvent(
      state,
      event('reaction.new', { messageId: 'm1', userId: 'bob', type: 'like', reactionCounts: { like: 1 } }),
      'alice',
    )
    expect(state.channels.general!.messages[0]).toMatchObject({
      reactionCounts: { like: 1 },
      ownReactions: [],
    })
    state = applyEvent(
      state,
      event('reaction.new', { messageId: 'm1', userId: 'alice', type: 'like', reactionCounts: { like: 2 } }),
      'alice',
    )
    expect(state.channels.general!.messages[0]).toMatchObject({
      reactionCounts: { like: 2 },
      ownReactions: ['like'],
    })
  })

  it('counts a thread reply on its parent and blanks a deleted message', () => {
    let state = withChannel([message(1), message(2)])
    state = applyEvent(
      state,
      event('thread.reply', { message: message(3, { parentId: 'm1' }), parentId: 'm1' }),
      'alice',
    )
    expect(state.channels.general!.messages[0]!.replyCount).toBe(1)
    expect(state.channels.general!.messages.map((m) => m.id)).toEqual(['m1', 'm2'])
    state = applyEvent(state, event('message.deleted', { messageId: 'm2', channelId: 'general' }), 'alice')
    expect(state.channels.general!.messages[1]).toMatchObject({ type: 'deleted', text: '' })
  })

  it('lists who types, without the reader, until they stop', () => {
    let state = withChannel()
    state = applyEvent(state, event('typing.start', { channelId: 'general', userId: 'bob' }), 'alice')
    state = applyEvent(state, event('typing.start', { channelId: 'general', userId: 'alice' }), 'alice')
    expect(state.typing.general).toEqual(['bob'])
    state = applyEvent(state, event('typing.stop', { channelId: 'general', userId: 'bob' }), 'alice')
    expect(state.typing.general).toEqual([])
  })

  it('leaves the state object alone when an event changes nothing', () => {
    const state = withChannel([message(1)])
    expect(
      applyEvent(
        state,
        event('reaction.new', { messageId: 'unknown', userId: 'bob', type: 'like', reactionCounts: {} }),
        'alice',
      ),
    ).toBe(state)
  })
})
