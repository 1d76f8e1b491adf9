/**
 * Two gateway processes on real Redis. A client on node A gets what is published through node B;
 * then node A is killed (SIGKILL) in the middle of a burst, its clients reconnect through the
 * "load balancer" to node B and recover: every client ends with every message once, in order.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { randomUUID } from 'node:crypto'
import { fileURLToPath } from 'node:url'
import type { Centrifuge } from 'centrifuge'
import { afterAll, describe, expect, it } from 'vitest'
import { createCentrifugoPublisher } from './centrifugo-http.js'
import { newAppId, newClient, signToken, TcpProxy, TEST_API_KEY, waitFor } from './test-support.js'

const redisUrl = process.env.REDIS_URL

async function startNode(env: Record<string, string>): Promise<{ child: ChildProcess; port: number }> {
  const script = fileURLToPath(new URL('./test-node.ts', import.meta.url))
  const child = spawn(process.execPath, ['--import', 'tsx', script], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  })
  const port = await new Promise<number>((resolve, reject) => {
    let buf = ''
    child.stdout?.on('data', (chunk) => {
      buf += String(chunk)
      const line = buf.split('\n')[0]
      if (buf.includes('\n') && line) resolve((JSON.parse(line) as { port: number }).port)
    })
    child.once('exit', (code) => reject(new Error(`node exited early (${code})`)))
  })
  return { child, port }
}

describe.skipIf(!redisUrl)('two gateway nodes over Redis', () => {
  const appId = newAppId()
  const room = `chat:${appId}:room`
  const users = ['u1', 'u2', 'u3', 'u4']
  const env = {
    REDIS_URL: redisUrl as string,
    RT_PREFIX: `test:${randomUUID()}:`,
    RT_MEMBERS: JSON.stringify({ [room]: users }),
  }
  const children: ChildProcess[] = []
  const clients: Centrifuge[] = []
  let proxy: TcpProxy | undefined

  afterAll(async () => {
    for (const c of clients) c.disconnect()
    await proxy?.close()
    for (const child of children) child.kill('SIGKILL')
  })

  it('survives kill -9 of the node its clients are on, mid-burst, with no loss and no reordering', async () => {
    const [a, b] = await Promise.all([startNode(env), startNode(env)])
    children.push(a.child, b.child)
    let aAlive = true
    a.child.once('exit', () => {
      aAlive = false
    })
    // The load balancer: everything to A while it lives, then to B.
    proxy = await new TcpProxy(() => (aAlive ? a.port : b.port)).listen()
    const viaB = createCentrifugoPublisher({ url: `http://127.0.0.1:${b.port}`, apiKey: TEST_API_KEY })

    const received = new Map<string, number[]>()
    for (const user of users) {
      const client = newClient(proxy.url, { token: await signToken({ appId, userId: user }) })
      clients.push(client)
      const got: number[] = []
      received.set(user, got)
      const sub = client.newSubscription(room)
      sub.on('publication', (p) => got.push((p.data as { n: number }).n))
      sub.subscribe()
      client.connect()
      await sub.ready(10_000)
    }

    // Published through node B, delivered by node A.
    await viaB.publish({ channel: room, data: { n: 0 }, idempotencyKey: 'n0' })
    await waitFor(() => users.every((u) => received.get(u)?.length === 1), 10_000, 'cross-node delivery')

    const total = 300
    for (let n = 1; n <= total; n++) {
      // A relay retries on failure: the same idempotency key keeps a retry from duplicating.
      for (;;) {
        try {
          await viaB.publish({ channel: room, data: { n }, idempotencyKey: `n${n}` })
          break
        } catch {
          await new Promise((r) => setTimeout(r, 50))
        }
      }
      if (n === 100) a.child.kill('SIGKILL')
    }
    await waitFor(() => !aAlive, 5000, 'node A to die')
    await waitFor(
      () => users.every((u) => new Set(received.get(u)).size === total + 1),
      30_000,
      'every client to have every message',
    )
    const expected = Array.from({ length: total + 1 }, (_, i) => i)
    for (const user of users) {
      const got = received.get(user) as number[]
      const deduped = got.filter((n, i) => got.indexOf(n) === i)
      expect(deduped).toEqual(expected)
    }
  }, 90_000)
})
