import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

/**
 * Delivery policy: exponential backoff between tries, failure after the maximum age, auto-disable
 * after a streak of failures, manual redelivery and re-enabling. The receiver here always fails
 * until told otherwise.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
let receiver: Server
let url = ''
let healthy = false
const received: string[] = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      if (healthy) received.push(String(req.headers['x-chatsdk-event-id']))
      res.writeHead(healthy ? 204 : 500).end()
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/`
  h = await startHarness('webhooks', { WEBHOOK_RETRY_BASE_MS: '60000', WEBHOOK_DISABLE_AFTER_FAILURES: '3' })
  S = await seedApp(h.app, 'hooks', ['alice'])
  await S.users.alice!.post('/v1/channels', { type: 'team', id: 'room', members: [] })
})
afterAll(async () => {
  await h?.close()
  await new Promise((resolve) => receiver?.close(resolve))
})

const deliveries = (endpointId: string) =>
  h.database.kysely
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('endpoint_id', '=', endpointId)
    .orderBy('id')
    .execute()
const makeDue = (endpointId: string) =>
  sql`update webhook_deliveries set next_attempt_at = now() where endpoint_id = ${endpointId} and status = 'pending'`.execute(
    h.database.kysely,
  )

describe('webhook retries', () => {
  it('backs off exponentially, disables the endpoint after 3 failures, and redelivers once re-enabled', async () => {
    const hook = await S.server.post('/v1/webhooks', { url, eventTypes: ['message.*'] })
    const id = hook.body.endpoint.id
    await S.users.alice!.post('/v1/channels/room/messages', { text: 'one' })
    await h.app.chat.runWebhooks()
    let [delivery] = await deliveries(id)
    expect(delivery).toMatchObject({ status: 'pending', attempts: 1, last_status_code: 500 })
    const firstDelay = new Date(delivery!.next_attempt_at).getTime() - Date.now()
    expect(firstDelay).toBeGreaterThan(40_000)
    expect(firstDelay).toBeLessThan(80_000)

    await makeDue(id)
    await h.app.chat.runWebhooks()
    ;[delivery] = await deliveries(id)
    const secondDelay = new Date(delivery!.next_attempt_at).getTime() - Date.now()
    expect(delivery!.attempts).toBe(2)
    expect(secondDelay).toBeGreaterThan(90_000)

    await makeDue(id)
    await h.app.chat.runWebhooks()
    const endpoint = (await S.server.get(`/v1/webhooks/${id}`)).body.endpoint
    expect(endpoint).toMatchObject({ enabled: false, consecutiveFailures: 3 })
    expect(endpoint.disabledAt).not.toBeNull()

    // a disabled endpoint keeps its queue without posting
    await makeDue(id)
    await h.app.chat.runWebhooks()
    expect((await deliveries(id))[0]!.attempts).toBe(3)

    healthy = true
    expect((await S.server.patch(`/v1/webhooks/${id}`, { enabled: true })).body.endpoint).toMatchObject({
      enabled: true,
      consecutiveFailures: 0,
    })
    const redelivered = await S.server.post(`/v1/webhooks/${id}/deliveries/${delivery!.id}/redeliver`)
    expect(redelivered.body.delivery.status).toBe('pending')
    await h.app.chat.runWebhooks()
    const log = (await S.server.get(`/v1/webhooks/${id}/deliveries`)).body.deliveries
    expect(log.map((d: any) => [d.status, d.attempts])).toEqual([['succeeded', 4]])
    expect(received).toEqual([delivery!.event_id])

    // manual redelivery of a delivered event sends it again (the receiver dedupes by event id)
    await S.server.post(`/v1/webhooks/${id}/deliveries/${delivery!.id}/redeliver`)
    await h.app.chat.runWebhooks()
    expect(received).toEqual([delivery!.event_id, delivery!.event_id])
    healthy = false
  })

  it('gives up when the event is older than the maximum age', async () => {
    const hook = await S.server.post('/v1/webhooks', { url, eventTypes: ['reaction.new'] })
    const id = hook.body.endpoint.id
    const message = await S.users.alice!.post('/v1/channels/room/messages', { text: 'react to me' })
    await S.users.alice!.post(`/v1/messages/${message.body.message.id}/reactions`, { type: 'like' })
    await h.app.chat.runWebhooks()
    await sql`update webhook_deliveries set created_at = now() - interval '25 hours', next_attempt_at = now()
              where endpoint_id = ${id}`.execute(h.database.kysely)
    await h.app.chat.runWebhooks()
    const [delivery] = await deliveries(id)
    expect(delivery).toMatchObject({ status: 'failed', event_type: 'reaction.new' })
  })

  it('only delivers subscribed types', async () => {
    const hook = await S.server.post('/v1/webhooks', { url, eventTypes: ['poll.updated'] })
    await S.users.alice!.post('/v1/channels/room/messages', { text: 'not a poll' })
    await h.app.chat.runWebhooks()
    expect(await deliveries(hook.body.endpoint.id)).toEqual([])
  })
})
