import { ChatClient, MemoryPendingStorage } from '@chatsdk/client'
import { act, configure, render, renderHook, screen, waitFor } from '@testing-library/react'
import type { ReactNode } from 'react'
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest'
import { ChatProvider } from '../provider.js'
import { useChannels } from './use-channels.js'
import { useConnectionState } from './use-connection-state.js'
import { useMessages } from './use-messages.js'
import { usePoll } from './use-poll.js'
import { useReactions } from './use-reactions.js'
import { useSearch } from './use-search.js'
import { useThread } from './use-thread.js'
import { useTyping } from './use-typing.js'
import { useUnreadCount } from './use-unread-count.js'

/**
 * The hooks against a real chat-server (API and realtime gateway), through a real
 * @chatsdk/client ChatClient: what alice's components would see while bob, through the API,
 * talks to her.
 */
const server = inject('chatServer')
// every wait is on a real server and socket: allow a busy machine more than the default 1 s
configure({ asyncUtilTimeout: 10_000 })
let alice: ChatClient
const clients: ChatClient[] = []

async function clientFor(userId: string): Promise<ChatClient> {
  const client = new ChatClient({
    baseUrl: server.url,
    tokenProvider: async () => ({ accessToken: server.tokens[userId]! }),
    pendingStorage: new MemoryPendingStorage(),
  })
  await client.connect()
  clients.push(client)
  return client
}

function Unread() {
  return <p>unread: {useUnreadCount()}</p>
}

const wrapperFor =
  (client: ChatClient) =>
  ({ children }: { children: ReactNode }) => <ChatProvider client={client}>{children}</ChatProvider>

/** Bob's side of the conversation goes straight to the API. */
async function asBob(method: string, path: string, body?: unknown) {
  const response = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: {
      authorization: `Bearer ${server.tokens.bob}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return response.json()
}

async function asBackend(method: string, path: string, body: unknown) {
  const response = await fetch(`${server.url}/v1${path}`, {
    method,
    headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
}

beforeAll(async () => {
  await asBackend('POST', '/channels', {
    type: 'team',
    id: 'general',
    name: 'general',
    members: ['alice', 'bob'],
    createdBy: 'alice',
  })
  await asBackend('POST', '/channels', {
    type: 'team',
    id: 'history',
    name: 'history',
    members: ['alice', 'bob'],
    createdBy: 'alice',
  })
  for (let n = 1; n <= 120; n++) await asBob('POST', '/channels/history/messages', { text: `old ${n}` })
  alice = await clientFor('alice')
})

afterAll(() => {
  for (const client of clients) client.disconnect()
})

describe('hooks over a live chat-server', () => {
  it('useConnectionState: connecting, then connected', async () => {
    const { result } = renderHook(() => useConnectionState(), { wrapper: wrapperFor(alice) })
    await waitFor(() => expect(result.current.state).toBe('connected'))
    expect(result.current.pending).toBe(0)
  })

  it('useChannels lists the channels with their unread counts', async () => {
    const { result } = renderHook(() => useChannels(), { wrapper: wrapperFor(alice) })
    await waitFor(() =>
      expect(result.current.channels.map((c) => c.id).sort()).toEqual(['general', 'history']),
    )
    await waitFor(() =>
      expect(result.current.channels.find((c) => c.id === 'general')?.memberIds.sort()).toEqual([
        'alice',
        'bob',
      ]),
    )
    const unread = renderHook(() => useUnreadCount('history'), { wrapper: wrapperFor(alice) })
    expect(unread.result.current).toBe(120)
  })

  it('useMessages opens at the first unread page and pages older messages in, oldest first', async () => {
    const { result } = renderHook(() => useMessages('history'), { wrapper: wrapperFor(alice) })
    await waitFor(() => expect(result.current.loading).toBe(false))
    // 120 unread: the page around the first unread message, with newer ones still to load
    expect(result.current.messages[0]?.text).toBe('old 1')
    expect(result.current.hasOlder).toBe(false)
    expect(result.current.hasNewer).toBe(true)
    while (result.current.hasNewer) {
      const before = result.current.messages.length
      await act(() => result.current.loadNewer())
      await waitFor(() => expect(result.current.messages.length).toBeGreaterThan(before))
    }
    expect(result.current.messages.map((m) => m.text)).toEqual(
      Array.from({ length: 120 }, (_, i) => `old ${i + 1}`),
    )
  })

  it('useMessages pages older history in when opened at the latest page', async () => {
    const bob = await clientFor('bob')
    const { result } = renderHook(() => useMessages('history'), { wrapper: wrapperFor(bob) })
    await waitFor(() => expect(result.current.loading).toBe(false))
    // bob wrote them all, so nothing is unread: the latest 50
    expect(result.current.messages.at(-1)?.text).toBe('old 120')
    expect(result.current.messages).toHaveLength(50)
    expect(result.current.hasOlder).toBe(true)
    await act(() => result.current.loadOlder())
    await waitFor(() => expect(result.current.messages).toHaveLength(100))
    expect(result.current.messages[0]?.text).toBe('old 21')
  })

  it('useMessages shows a sent message as pending at once, then as sent, once', async () => {
    const { result } = renderHook(() => useMessages('general'), { wrapper: wrapperFor(alice) })
    await waitFor(() => expect(result.current.loading).toBe(false))
    let sent!: Promise<void>
    act(() => {
      sent = result.current.send({ text: 'hello bob' })
    })
    expect(result.current.messages.at(-1)).toMatchObject({ text: 'hello bob', delivery: 'pending' })
    await act(() => sent)
    await waitFor(() =>
      expect(result.current.messages.at(-1)).toMatchObject({ text: 'hello bob', delivery: 'sent' }),
    )
    expect(result.current.messages.filter((m) => m.text === 'hello bob')).toHaveLength(1)
  })

  it('useMessages and useUnreadCount follow what bob sends live; marking read clears the count', async () => {
    const { result } = renderHook(
      () => ({ page: useMessages('general'), unread: useUnreadCount('general') }),
      {
        wrapper: wrapperFor(alice),
      },
    )
    await waitFor(() => expect(result.current.page.loading).toBe(false))
    const before = result.current.unread
    await asBob('POST', '/channels/general/messages', { text: 'hi alice' })
    await waitFor(() => expect(result.current.page.messages.at(-1)?.text).toBe('hi alice'))
    expect(result.current.unread).toBe(before + 1)
    act(() => result.current.page.markRead())
    expect(result.current.unread).toBe(0)
  })

  it('useReactions toggles alice’s reaction and counts bob’s, live', async () => {
    const loaded = renderHook(() => useMessages('general'), { wrapper: wrapperFor(alice) })
    await waitFor(() => expect(loaded.result.current.messages.some((m) => m.text === 'hi alice')).toBe(true))
    const id = loaded.result.current.messages.find((m) => m.text === 'hi alice')!.id
    const { result } = renderHook(
      () => {
        const message = useMessages('general').messages.find((m) => m.id === id)!
        return { message, reactions: useReactions(message) }
      },
      { wrapper: wrapperFor(alice) },
    )
    await asBob('POST', `/messages/${id}/reactions`, { type: 'like' })
    await waitFor(() => expect(result.current.message.reactionCounts).toEqual({ like: 1 }))
    act(() => result.current.reactions.toggle('like'))
    await waitFor(() => expect(result.current.message.reactionCounts).toEqual({ like: 2 }))
    expect(result.current.message.ownReactions).toEqual(['like'])
    act(() => result.current.reactions.toggle('like'))
    await waitFor(() => expect(result.current.message.ownReactions).toEqual([]))
    expect(result.current.message.reactionCounts).toEqual({ like: 1 })
  })

  it('useThread shows the parent and bob’s replies as they come', async () => {
    const { message: parent } = await asBob('POST', '/channels/general/messages', { text: 'thread start' })
    const { result } = renderHook(() => useThread(parent.id), { wrapper: wrapperFor(alice) })
    await waitFor(() => expect(result.current.parent?.text).toBe('thread start'))
    await asBob('POST', '/channels/general/messages', { text: 'first reply', parentId: parent.id })
    await waitFor(() => expect(result.current.replies.map((r) => r.text)).toEqual(['first reply']))
  })

  it('useTyping lists bob while he types, not alice herself', async () => {
    const { result } = renderHook(() => useTyping('general'), { wrapper: wrapperFor(alice) })
    await asBob('POST', '/channels/general/typing', { state: 'start' })
    await waitFor(() => expect(result.current.typingUserIds).toEqual(['bob']))
    await asBob('POST', '/channels/general/typing', { state: 'stop' })
    await waitFor(() => expect(result.current.typingUserIds).toEqual([]))
  })

  it('usePoll votes and sees bob’s vote arrive', async () => {
    const { message } = await asBob('POST', '/channels/general/messages', { text: 'Lunch?' })
    const { poll } = await asBob('POST', `/messages/${message.id}/poll`, {
      question: 'Lunch?',
      options: ['Soba', 'Udon'],
    })
    const { result } = renderHook(() => usePoll(poll.id), { wrapper: wrapperFor(alice) })
    await waitFor(() => expect(result.current.poll?.question).toBe('Lunch?'))
    const soba = result.current.poll!.options[0]!.id
    act(() => result.current.vote(soba))
    await waitFor(() => expect(result.current.poll?.ownVotes).toEqual([soba]))
    await asBob('POST', `/polls/${poll.id}/votes`, { optionIds: [soba] })
    await waitFor(() => expect(result.current.poll?.options[0]?.voteCount).toBe(2))
    expect(result.current.canClose).toBe(false)
  })

  it('useSearch finds messages as the query is typed', async () => {
    const { result } = renderHook(() => useSearch(), { wrapper: wrapperFor(alice) })
    act(() => result.current.setQuery('thread start'))
    await waitFor(() => expect(result.current.results.map((m) => m.text)).toContain('thread start'))
    act(() => result.current.setQuery('x'))
    expect(result.current.results).toEqual([])
  })

  it('ChatProvider connects a client the app has not connected, showing the fallback meanwhile', async () => {
    const fresh = new ChatClient({
      baseUrl: server.url,
      tokenProvider: async () => ({ accessToken: server.tokens.bob! }),
      pendingStorage: new MemoryPendingStorage(),
    })
    clients.push(fresh)
    render(
      <ChatProvider client={fresh} fallback={<p>Connecting</p>}>
        <Unread />
      </ChatProvider>,
    )
    expect(screen.getByText('Connecting')).toBeTruthy()
    await screen.findByText(/^unread: \d+$/)
    expect(fresh.ready).toBe(true)
  })

  it('useMessages keeps a refused send as failed, and discarding it removes it without an error', async () => {
    const { result } = renderHook(() => useMessages('no-such-channel'), { wrapper: wrapperFor(alice) })
    await waitFor(() => expect(result.current.error).not.toBeNull())
    let refused!: Promise<void>
    act(() => {
      refused = result.current.send({ text: 'into the void' })
    })
    await expect(refused).rejects.toMatchObject({ status: 404 })
    await waitFor(() => expect(result.current.messages.at(-1)).toMatchObject({ delivery: 'failed' }))
    await act(() => result.current.discard(result.current.messages.at(-1)!))
    expect(result.current.messages).toEqual([])
  })
})
