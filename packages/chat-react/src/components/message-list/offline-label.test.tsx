import { ChatClient, MemoryPendingStorage } from '@chatsdk/client'
import { act, configure, render, screen, waitFor, within } from '@testing-library/react'
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest'
import { ChatProvider } from '../../provider.js'
import { MessageList } from './message-list.js'

/**
 * What a queued message says about itself: while the device is offline it waits for the
 * connection (nothing is being sent), and only once the client is connected is it "Sending…".
 * Bob's MessageList runs against a real chat-server; the browser's offline and online events
 * are what the client listens to.
 */
const server = inject('chatServer')
configure({ asyncUtilTimeout: 10_000 })
let bob: ChatClient

beforeAll(async () => {
  // jsdom lays nothing out: give elements a size so the virtualized feed has a viewport to fill
  vi.spyOn(Element.prototype, 'clientHeight', 'get').mockReturnValue(600)
  vi.spyOn(Element.prototype, 'clientWidth', 'get').mockReturnValue(800)
  const response = await fetch(`${server.url}/v1/channels`, {
    method: 'POST',
    headers: { 'x-api-key': server.apiKey, 'content-type': 'application/json' },
    body: JSON.stringify({
      type: 'team',
      id: 'offline-label',
      name: 'offline-label',
      // bob's alone: the hooks test (same server, run alongside) counts alice's channels
      members: ['bob'],
      createdBy: 'bob',
    }),
  })
  if (!response.ok) throw new Error(`create channel: ${response.status} ${await response.text()}`)
  bob = new ChatClient({
    baseUrl: server.url,
    tokenProvider: async () => ({ accessToken: server.tokens.bob! }),
    pendingStorage: new MemoryPendingStorage(),
  })
  await bob.connect()
})

afterAll(() => {
  bob?.disconnect()
  vi.restoreAllMocks()
})

const rowOf = (text: string) => screen.getByRole('article', { name: new RegExp(text) })

describe('a queued message’s label', () => {
  it('reads "Waiting for connection" while offline and "Sending…" once connected and on its way', async () => {
    render(
      <ChatProvider client={bob}>
        <MessageList channelId="offline-label" />
      </ChatProvider>,
    )
    await waitFor(() => expect(bob.connectionState).toBe('connected'))
    await screen.findByText('No messages yet')

    act(() => void globalThis.dispatchEvent(new Event('offline')))
    expect(bob.connectionState).toBe('offline')
    let queued!: Promise<unknown>
    act(() => {
      queued = bob.sendMessage('offline-label', { text: 'written on the train' })
    })
    const waiting = await waitFor(() => rowOf('written on the train'))
    expect(within(waiting).getByRole('status').textContent).toBe('Waiting for connection')
    expect(within(waiting).queryByText('Sending…')).toBeNull()

    // back online: the socket reconnects and the queue sends; the message arrives as sent
    act(() => void globalThis.dispatchEvent(new Event('online')))
    await act(() => queued)
    await waitFor(() => expect(within(rowOf('written on the train')).queryByRole('status')).toBeNull())

    // connected: a new message is on its way at once, and says so
    await waitFor(() => expect(bob.connectionState).toBe('connected'))
    let sent!: Promise<unknown>
    act(() => {
      sent = bob.sendMessage('offline-label', { text: 'back in range' })
    })
    expect(within(rowOf('back in range')).getByRole('status').textContent).toBe('Sending…')
    await act(() => sent)
  })
})
