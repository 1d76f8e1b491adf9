/**
 * `npm run bench -- chat-client`: what @chatsdk/client costs an app.
 * - cold start: connect, subscribe and have the channel's 50 latest messages in hand, for
 *   @chatsdk/client (`connect()` + `loadMessages`) against the peer the issue names, a bare
 *   `centrifuge` client plus one fetch, on the same server, rounds interleaved; ratio of medians.
 * - size: the browser bundle (minified ESM with centrifuge), gzipped, against the original
 *   ChatSDK's claimed 95 KB, and bare centrifuge bundled the same way.
 * - react: @chatsdk/react's figures (bench/chat-react.ts): client + react gzipped as a minimal app
 *   bundles them, and a 10,000-message list's render and scroll frame times in Chromium, against
 *   the same list without virtualization.
 */
import { Centrifuge } from 'centrifuge'
import { WebSocket } from 'ws'
import { browserBundle } from '../packages/chat-client/scripts/browser-bundle.js'
import { startTestServer } from '../packages/chat-client/src/testing/server.js'
import { run as runReact } from './chat-react.js'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 9)
const ORIGINAL_CLAIM_GZIP_BYTES = 95 * 1024

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!
const round1 = (x: number) => Math.round(x * 10) / 10

export async function run() {
  const server = await startTestServer(`bench_client_${process.pid}`, ['alice', 'bob'])
  try {
    const seed = server.client('alice')
    await seed.connect()
    await seed.api.createChannel({ type: 'messaging', id: 'general', members: ['bob'] })
    for (let i = 0; i < 50; i++)
      await seed.api.sendMessage('general', { text: `history ${i}`, clientMessageId: `h${i}` })
    seed.disconnect()

    const ours: number[] = []
    const peer: number[] = []
    for (let round = 0; round < ROUNDS; round++) {
      // alternate which goes first so neither always meets a warmer server
      const order = round % 2 === 0 ? [measureOurs, measurePeer] : [measurePeer, measureOurs]
      for (const measure of order) {
        const ms = await measure(server)
        ;(measure === measureOurs ? ours : peer).push(ms)
      }
    }
    const whole = await browserBundle()
    const centrifugeOnly = await browserBundle("export { Centrifuge } from 'centrifuge'")
    const react = await runReact()
    const withReact = react.gzippedBytes.minimalAppClientPlusReact
    return {
      coldStart: {
        rounds: ROUNDS,
        oursMedianMs: round1(median(ours)),
        peerMedianMs: round1(median(peer)),
        oursOverPeer: Math.round((median(ours) / median(peer)) * 100) / 100,
        oursMs: ours.map(round1),
        peerMs: peer.map(round1),
        peer: 'bare centrifuge 5.8.0 client (connect + subscribe) and one fetch of the 50 latest messages',
      },
      size: {
        clientGzipBytes: whole.gzipBytes,
        clientMinBytes: whole.bytes,
        centrifugeAloneGzipBytes: centrifugeOnly.gzipBytes,
        originalClaimGzipBytes: ORIGINAL_CLAIM_GZIP_BYTES,
        clientOverOriginalClaim: Math.round((whole.gzipBytes / ORIGINAL_CLAIM_GZIP_BYTES) * 100) / 100,
        minimalAppClientPlusReactGzipBytes: withReact,
        minimalAppOverOriginalClaim: Math.round((withReact / ORIGINAL_CLAIM_GZIP_BYTES) * 100) / 100,
      },
      react,
    }
  } finally {
    await server.close()
  }
}

type Server = Awaited<ReturnType<typeof startTestServer>>

/** @chatsdk/client: token, channel list, subscriptions, connection, 50 messages in the store. */
async function measureOurs(server: Server): Promise<number> {
  const started = performance.now()
  const client = server.client('bob')
  const connected = new Promise<void>((resolve) => {
    const off = client.on('connection', ({ state }) => {
      if (state === 'connected') resolve(off())
    })
  })
  await client.connect()
  await Promise.all([connected, client.loadMessages('general')])
  const elapsed = performance.now() - started
  if (client.store.getMessages('general').length !== 50) throw new Error('ours: not 50 messages')
  client.disconnect()
  return elapsed
}

/** The peer: the same token source, a bare centrifuge subscription and one fetch. */
async function measurePeer(server: Server): Promise<number> {
  const started = performance.now()
  const tokens = await server.mint('bob')
  const centrifuge = new Centrifuge(`${server.baseUrl.replace('http', 'ws')}/connection/websocket`, {
    token: tokens.connectionToken,
    websocket: WebSocket,
  })
  const subscription = centrifuge.newSubscription(`chat:${server.appId}:general`)
  subscription.subscribe()
  centrifuge.connect()
  const [, response] = await Promise.all([
    subscription.ready(10_000),
    fetch(`${server.baseUrl}/v1/channels/general/messages?limit=50`, {
      headers: { authorization: `Bearer ${tokens.accessToken}` },
    }).then((r) => r.json() as Promise<{ messages: unknown[] }>),
  ])
  const elapsed = performance.now() - started
  if (response.messages.length !== 50) throw new Error('peer: not 50 messages')
  centrifuge.disconnect()
  return elapsed
}
