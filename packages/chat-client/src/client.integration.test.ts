/**
 * The client against a real ChatSDK server (API, gateway, outbox relay): PostgreSQL and Redis
 * when DATABASE_URL / REDIS_URL are set, else PGlite and memory.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest'
import { ChatError } from './http/errors.js'
import { startTestServer, type TestServer, waitFor } from './testing/server.js'

let server: TestServer

beforeAll(async () => {
  server = await startTestServer('client_it', ['alice', 'bob', 'carol'])
  const alice = server.client('alice')
  await alice.connect()
  await alice.api.createChannel({ type: 'messaging', id: 'general', name: 'General', members: ['bob'] })
  await alice.api.createChannel({ type: 'messaging', id: 'random', name: 'Random', members: ['bob'] })
  alice.disconnect()
})

afterAll(async () => {
  await server?.close()
})

describe('ChatClient against a real server', () => {
  it('delivers a message in realtime, counts it unread elsewhere, and clears it on read', async () => {
    const alice = server.client('alice')
    const bob = server.client('bob')
    await Promise.all([alice.connect(), bob.connect()])
    await waitFor(() => bob.connectionState === 'connected', 'bob connected')
    await bob.loadMessages('general')
    await waitFor(() => alice.connectionState === 'connected', 'alice connected')

    const sent = await alice.sendMessage('general', { text: 'hello bob' })
    await waitFor(() => bob.store.getMessages('general').some((m) => m.id === sent.id), 'bob to see it')
    await alice.sendMessage('random', { text: 'over here' })
    await waitFor(() => bob.store.getUnreadCount('random') === 1, 'unread badge on random')
    expect(bob.store.getChannel('random')?.lastSeq).toBeGreaterThan(0)

    await bob.markRead('random')
    expect(bob.store.getUnreadCount('random')).toBe(0)
    // alice's client hears bob's read marker
    await waitFor(() => (alice.store.getReads('random').bob ?? -1) >= 1, 'read receipt at alice')
  })

  it('threads and reactions reach the other side, counted once', async () => {
    const alice = server.client('alice')
    const bob = server.client('bob')
    await Promise.all([alice.connect(), bob.connect()])
    await waitFor(
      () => alice.connectionState === 'connected' && bob.connectionState === 'connected',
      'both connected',
    )
    const root = await alice.sendMessage('general', { text: 'thread root' })
    await alice.loadThread(root.id)
    const reply = await bob.sendMessage('general', { text: 'a reply', parentId: root.id })
    await waitFor(() => alice.store.getThread(root.id).some((m) => m.id === reply.id), 'reply at alice')
    await waitFor(() => alice.store.findMessage(root.id)?.replyCount === 1, 'reply count')

    await bob.loadMessages('general')
    await alice.addReaction(root.id, 'like')
    await alice.addReaction(root.id, 'like') // idempotent on the server
    await waitFor(() => bob.store.findMessage(root.id)?.reactionCounts.like === 1, 'reaction at bob')
    await waitFor(
      () => alice.store.findMessage(root.id)?.ownReactions.includes('like') === true,
      'own reaction',
    )
  })

  it('sends queued messages once each, in order, when the first answer is lost', async () => {
    let loseAnswers = 3
    const alice = server.client('alice', {
      // the request reaches the server, but the answer never comes back: the queue must resend
      // with the same clientMessageId and the server must keep one copy
      fetch: async (input, init) => {
        const response = await fetch(input, init)
        if (init?.method === 'POST' && String(input).endsWith('/messages') && loseAnswers-- > 0) {
          throw new TypeError('network down')
        }
        return response
      },
    })
    const bob = server.client('bob')
    await Promise.all([alice.connect(), bob.connect()])
    await waitFor(() => bob.connectionState === 'connected', 'bob connected')
    const texts = ['offline 1', 'offline 2', 'offline 3']
    const sends = texts.map((text) => alice.sendMessage('random', { text }))
    expect(alice.store.getPending('random').map((p) => p.text)).toEqual(texts)
    const messages = await Promise.all(sends)
    expect(new Set(messages.map((m) => m.id)).size).toBe(3)

    const page = await bob.api.listMessages('random', { limit: 50 })
    const received = page.messages.filter((m) => texts.includes(m.text)).map((m) => m.text)
    expect(received).toEqual(texts)
    await waitFor(() => alice.store.getPending('random').length === 0, 'queue drained')
  })

  it('keeps a refused send as failed, then discards it on request', async () => {
    const alice = server.client('alice')
    await alice.connect()
    const refused = alice.sendMessage('no-such-channel', { text: 'lost' })
    await expect(refused).rejects.toBeInstanceOf(ChatError)
    const [failed] = alice.store.getPending('no-such-channel')
    expect(failed?.status).toBe('failed')
    expect(failed?.error?.status).toBe(404)
    await alice.discardSend(failed!.clientMessageId)
    expect(alice.store.getPending('no-such-channel')).toHaveLength(0)
  })

  it('gets a new token from the provider after a 401 and repeats the call', async () => {
    let calls = 0
    const good = await server.mint('alice')
    const alice = server.client('alice', {
      tokenProvider: async () => {
        calls++
        // the first token is signed by no app: the server answers 401 invalid_token
        return calls === 1 ? { accessToken: `${good.accessToken.slice(0, -4)}AAAA` } : good
      },
    })
    const me = await alice.api.me()
    expect(me.user.id).toBe('alice')
    expect(calls).toBe(2)
  })

  it('reports validation failures as typed problems with the field path', async () => {
    const alice = server.client('alice')
    const error = await alice.api
      .createChannel({ type: 'messaging', members: ['bob'], id: 'bad id with spaces' })
      .catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChatError)
    const problem = error as ChatError
    expect(problem.status).toBe(400)
    expect(problem.code).toBe('validation_failed')
    expect(problem.fieldErrors.map((f) => f.path).join()).toContain('id')
    expect(problem.transient).toBe(false)
  })

  it('opens a channel at its first unread page when more than a page is unread, then pages both ways', async () => {
    const bob = server.client('bob', { pageSize: 20 })
    await bob.connect()
    await bob.api.createChannel({ type: 'messaging', id: 'history', name: 'History', members: ['alice'] })
    for (let n = 1; n <= 60; n++) await bob.sendMessage('history', { text: `old ${n}` })
    const alice = server.client('alice', { pageSize: 20 })
    await alice.connect()
    expect(alice.store.getUnreadCount('history')).toBe(60)

    await alice.openChannel('history')
    const texts = () => alice.store.getMessages('history').map((m) => m.text)
    expect(texts()[0]).toBe('old 1')
    expect(alice.store.getPaging('history')).toMatchObject({
      status: 'ready',
      hasOlder: false,
      hasNewer: true,
    })
    expect(alice.store.getPaging('history').firstUnreadId).toBe(alice.store.getMessages('history')[0]!.id)
    while (alice.store.getPaging('history').hasNewer) await alice.loadNewer('history')
    expect(texts()).toEqual(Array.from({ length: 60 }, (_, i) => `old ${i + 1}`))

    // bob wrote them all: nothing unread, so he starts at the latest page and scrolls up
    await bob.openChannel('history')
    expect(
      bob.store
        .getMessages('history')
        .map((m) => m.text)
        .at(-1),
    ).toBe('old 60')
    expect(bob.store.getMessages('history')).toHaveLength(20)
    await bob.loadOlder('history')
    expect(bob.store.getMessages('history')[0]?.text).toBe('old 21')
    expect(
      bob.store
        .getMembers('history')
        .map((m) => m.userId)
        .sort(),
    ).toEqual(['alice', 'bob'])
  })

  it('keeps which background load failed until it is tried again: older pages, a thread, the channel list', async () => {
    const bob = server.client('bob', { pageSize: 20 })
    await bob.connect()
    await bob.api.createChannel({ type: 'messaging', id: 'flaky', name: 'Flaky', members: ['alice'] })
    for (let n = 1; n <= 30; n++) await bob.sendMessage('flaky', { text: `flaky ${n}` })
    const root = await bob.sendMessage('flaky', { text: 'a thread' })
    let down = true
    const alice = server.client('alice', {
      pageSize: 20,
      // older pages, thread replies and the channel list answer 503 while `down`
      fetch: async (input, init) => {
        const url = String(input)
        const refused = /before=|\/replies|\/channels\?|\/channels\/flaky$/.test(url)
        if (down && refused && !url.includes('/messages?after='))
          return new Response(JSON.stringify({ status: 503, code: 'unavailable', title: 'down' }), {
            status: 503,
            headers: { 'content-type': 'application/problem+json' },
          })
        return fetch(input, init)
      },
    })
    down = false
    await alice.connect()
    await alice.markRead('flaky')
    await alice.openChannel('flaky')
    expect(alice.store.getPaging('flaky')).toMatchObject({ hasOlder: true, error: null, failed: null })

    down = true
    await expect(alice.loadOlder('flaky')).rejects.toMatchObject({ status: 503 })
    expect(alice.store.getPaging('flaky')).toMatchObject({ loadingOlder: false, failed: 'older' })
    expect(alice.store.getPaging('flaky').error).toBeTruthy()
    await expect(alice.openThread(root.id)).rejects.toMatchObject({ status: 503 })
    expect(alice.store.getThreadStatus(root.id).error).toBeTruthy()
    await expect(alice.loadChannels()).rejects.toMatchObject({ status: 503 })
    expect(alice.store.getChannelsError()).toBeTruthy()
    // what was loaded stays: a failed refresh keeps the list it had
    expect(alice.store.getChannel('flaky')).toBeDefined()
    // the members failed: the channel's failure, kept while its history reloads fine
    await expect(alice.loadChannel('flaky')).rejects.toMatchObject({ status: 503 })
    expect(alice.store.getPaging('flaky').channelError).toBeTruthy()

    down = false
    await alice.loadLatest('flaky')
    expect(alice.store.getPaging('flaky').channelError).toBeTruthy()
    // each failure is its own: the older page's is still there, the members' one goes
    expect(alice.store.getPaging('flaky').failed).toBe('older')
    await alice.loadChannel('flaky')
    expect(alice.store.getPaging('flaky')).toMatchObject({ channelError: null, failed: 'older' })
    await alice.loadOlder('flaky')
    expect(alice.store.getPaging('flaky')).toMatchObject({ error: null, failed: null, channelError: null })
    expect(alice.store.getMessages('flaky')[0]?.text).toBe('flaky 1')
    // a failed thread may be opened again (a loaded one is not asked for twice)
    await alice.openThread(root.id)
    expect(alice.store.getThreadStatus(root.id)).toEqual({ status: 'ready', error: null })
    await alice.loadChannels()
    expect(alice.store.getChannelsError()).toBeNull()
  })

  it('opens a thread once, with its status, and posts, votes in and closes a poll', async () => {
    const alice = server.client('alice')
    const bob = server.client('bob')
    await Promise.all([alice.connect(), bob.connect()])
    await waitFor(() => bob.connectionState === 'connected', 'bob connected')
    const root = await alice.sendMessage('general', { text: 'plans?' })
    await alice.sendMessage('general', { text: 'soba', parentId: root.id })
    await bob.openThread(root.id)
    expect(bob.store.getThreadStatus(root.id)).toEqual({ status: 'ready', error: null })
    expect(bob.store.getThread(root.id).map((m) => m.text)).toEqual(['soba'])

    const poll = await alice.createPoll('general', { question: 'Lunch?', options: ['Soba', 'Udon'] })
    await bob.loadMessages('general')
    await waitFor(
      () => bob.store.getMessages('general').some((m) => m.custom.pollId === poll.id),
      'the poll id on its message',
    )
    const [soba, udon] = poll.options
    await bob.vote(poll.id, soba!.id)
    // single choice: a second vote replaces the first
    expect((await bob.vote(poll.id, udon!.id)).ownVotes).toEqual([udon!.id])
    await alice.loadPoll(poll.id)
    await waitFor(() => alice.store.getPoll(poll.id)?.options[1]?.voteCount === 1, 'bob’s vote at alice')
    // the event carries no one's own votes: alice's (none) and bob's stay as each knows them
    expect(bob.store.getPoll(poll.id)?.ownVotes).toEqual([udon!.id])
    await alice.closePoll(poll.id)
    await waitFor(() => bob.store.getPoll(poll.id)?.closedAt !== null, 'closed at bob')
  })

  it('shows who was already connected when it subscribed, and who leaves', async () => {
    // carol has no other connection in this file (earlier tests leave bob's clients open), so her
    // leaving is the last of her connections: the gateway then announces her offline
    await server.backend('POST', '/v1/channels/general/members', { userIds: ['carol'] })
    const carol = server.client('carol')
    await carol.connect()
    await waitFor(() => carol.connectionState === 'connected', 'carol connected')
    const alice = server.client('alice')
    await alice.connect()
    await waitFor(() => alice.store.getPresence('carol')?.status === 'online', 'carol online at alice')
    carol.disconnect()
    await waitFor(() => alice.store.getPresence('carol')?.status === 'offline', 'carol offline at alice')
    alice.disconnect()
  })

  it('loads a profile once for every asker, and remembers a user who does not exist', async () => {
    const alice = server.client('alice')
    await alice.connect()
    await Promise.all([alice.loadUser('bob'), alice.loadUser('bob')])
    expect(alice.store.getUser('bob')?.id).toBe('bob')
    const missing = alice.loadUser('nobody')
    await expect(missing).rejects.toMatchObject({ status: 404 })
    expect(alice.loadUser('nobody')).toBe(missing)
    await missing.catch(() => {})
  })

  it('closes the socket while the device is offline and recovers what it missed once back', async () => {
    const bob = server.client('bob')
    await bob.connect()
    // alice's browser window: her client listens to its online/offline events
    const network = new EventTarget()
    vi.stubGlobal('addEventListener', network.addEventListener.bind(network))
    vi.stubGlobal('removeEventListener', network.removeEventListener.bind(network))
    const alice = server.client('alice')
    try {
      await alice.connect()
      await alice.loadMessages('general')
      // sent while alice's subscription may still be on its way: it reaches her all the same
      const live = await bob.sendMessage('general', { text: 'are you there?' })
      await waitFor(() => alice.store.findMessage(live.id) !== undefined, 'a live message')
      await waitFor(() => alice.connectionState === 'connected', 'alice connected')

      network.dispatchEvent(new Event('offline'))
      expect(alice.connectionState).toBe('offline')
      const missed = await bob.sendMessage('general', { text: 'while you were away' })
      // nothing reaches a closed socket: the message is not there yet
      await new Promise((resolve) => setTimeout(resolve, 300))
      expect(alice.store.findMessage(missed.id)).toBeUndefined()
      expect(alice.connectionState).toBe('offline')

      network.dispatchEvent(new Event('online'))
      await waitFor(() => alice.connectionState === 'connected', 'alice back')
      await waitFor(() => alice.store.findMessage(missed.id) !== undefined, 'the missed message')
    } finally {
      alice.disconnect()
      bob.disconnect()
      vi.unstubAllGlobals()
    }
  })
})
