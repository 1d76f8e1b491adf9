import type { LookupAddress } from 'node:dns'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

/**
 * Webhook SSRF protection through the API: what registration refuses, and what delivery refuses
 * again, including a host name that resolves to a public address at registration and to loopback
 * afterwards (DNS rebinding). Name resolution is a table the test controls; the socket uses the
 * same lookup, so the address that is checked is the address connected to.
 */
const dns = new Map<string, string[]>()
const resolve = async (host: string): Promise<LookupAddress[]> => {
  const addresses = dns.get(host)
  if (!addresses) throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${host}`), { code: 'ENOTFOUND' })
  return addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }))
}

let receiver: Server
let port = 0
const received: string[] = []

beforeAll(async () => {
  receiver = createServer((req, res) => {
    req.resume()
    req.on('end', () => {
      received.push(String(req.headers['x-chatsdk-event-id']))
      res.writeHead(204).end()
    })
  })
  await new Promise<void>((done) => receiver.listen(0, '127.0.0.1', done))
  port = (receiver.address() as AddressInfo).port
})
afterAll(async () => {
  await new Promise((done) => receiver?.close(done))
})

describe('webhook registration (production defaults: https only, no private targets)', () => {
  let h: Harness
  let S: Awaited<ReturnType<typeof seedApp>>
  beforeAll(async () => {
    h = await startHarness(
      'ssrf_strict',
      { WEBHOOK_ALLOW_HTTP: 'false', WEBHOOK_ALLOWED_CIDRS: '' },
      undefined,
      {
        webhookResolve: resolve,
      },
    )
    S = await seedApp(h.app, 'strict', ['alice'])
    dns.set('hooks.example.com', ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'])
    dns.set('localhost', ['127.0.0.1', '::1'])
    dns.set('mixed.example.com', ['93.184.216.34', '10.0.0.7'])
    dns.set('v6-mapped.example.com', ['::ffff:169.254.169.254'])
  })
  afterAll(async () => h?.close())

  const register = (url: string) => S.server.post('/v1/webhooks', { url })

  it('accepts https to a host that resolves only to public addresses', async () => {
    const res = await register('https://hooks.example.com/chat')
    expect(res.status).toBe(201)
  })

  it('refuses plain http outside development', async () => {
    const res = await register('http://hooks.example.com/chat')
    expect(res.status).toBe(422)
    expect(res.body).toMatchObject({ code: 'webhook_url_insecure', status: 422 })
  })

  it.each([
    ['https://127.0.0.1/x', /loopback/],
    ['https://127.1/x', /loopback/],
    ['https://2130706433/x', /loopback/],
    ['https://0x7f.0.0.1/x', /loopback/],
    ['https://10.1.2.3/x', /private/],
    ['https://172.16.5.4/x', /private/],
    ['https://192.168.0.10/x', /private/],
    ['https://169.254.169.254/latest/meta-data/', /cloud metadata/],
    ['https://100.100.100.200/x', /metadata/],
    ['https://0.0.0.0/x', /this network/],
    ['https://[::1]/x', /loopback/],
    ['https://[fe80::1]/x', /link-local/],
    ['https://[fd00:ec2::254]/x', /metadata/],
    ['https://[fc00::5]/x', /unique local/],
    ['https://[::ffff:127.0.0.1]/x', /loopback, inside IPv4-mapped/],
    ['https://[::ffff:a9fe:a9fe]/x', /cloud metadata, inside IPv4-mapped/],
    ['https://[64:ff9b::a00:1]/x', /NAT64/],
    ['https://localhost/x', /loopback/],
    ['https://mixed.example.com/x', /private/],
    ['https://v6-mapped.example.com/x', /cloud metadata, inside IPv4-mapped/],
  ])('refuses %s', async (url, reason) => {
    const res = await register(url)
    expect(res.status).toBe(422)
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/)
    expect(res.body.code).toBe('webhook_url_forbidden')
    expect(res.body.detail).toMatch(reason)
  })

  it('refuses credentials in the URL and hosts that do not resolve', async () => {
    expect((await register('https://user:pw@hooks.example.com/x')).body.code).toBe('webhook_url_forbidden')
    const unresolvable = await register('https://nowhere.invalid/x')
    expect(unresolvable.status).toBe(422)
    expect(unresolvable.body.code).toBe('webhook_url_unresolvable')
  })

  it('refuses a forbidden URL on update too, and keeps the stored one', async () => {
    const created = await register('https://hooks.example.com/ok')
    const id = created.body.endpoint.id
    const res = await S.server.patch(`/v1/webhooks/${id}`, { url: 'https://[::ffff:10.0.0.1]/x' })
    expect(res.status).toBe(422)
    expect((await S.server.get(`/v1/webhooks/${id}`)).body.endpoint.url).toBe('https://hooks.example.com/ok')
  })

  it('stores nothing for refused registrations', async () => {
    const { endpoints } = (await S.server.get('/v1/webhooks')).body
    for (const endpoint of endpoints) expect(endpoint.url).toMatch(/^https:\/\/hooks\.example\.com\//)
  })
})

describe('webhook delivery re-checks the target', () => {
  let h: Harness
  let S: Awaited<ReturnType<typeof seedApp>>
  beforeAll(async () => {
    // http allowed (the receiver is plain http), but no private range is: loopback is refused
    h = await startHarness(
      'ssrf_delivery',
      { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '' },
      undefined,
      {
        webhookResolve: resolve,
      },
    )
    S = await seedApp(h.app, 'delivery', ['alice'])
    await S.users.alice!.post('/v1/channels', { type: 'team', id: 'room', members: [] })
  })
  afterAll(async () => h?.close())

  const lastDelivery = async (endpointId: string) =>
    (await S.server.get(`/v1/webhooks/${endpointId}/deliveries`)).body.deliveries[0]

  it('refuses to connect when the name was rebound to loopback after registration', async () => {
    dns.set('rebind.example.com', ['93.184.216.34'])
    const hook = await S.server.post('/v1/webhooks', {
      url: `http://rebind.example.com:${port}/hook`,
      eventTypes: ['message.new'],
    })
    expect(hook.status).toBe(201)
    dns.set('rebind.example.com', ['127.0.0.1'])
    const before = received.length
    await S.users.alice!.post('/v1/channels/room/messages', { text: 'to a rebound host' })
    await h.app.chat.runWebhooks()
    const delivery = await lastDelivery(hook.body.endpoint.id)
    expect(delivery.status).toBe('pending')
    expect(delivery.lastStatusCode).toBeNull()
    expect(delivery.lastError).toMatch(/^webhook_url_forbidden: .*127\.0\.0\.1.*loopback/)
    expect(received.length).toBe(before)
    // audited once for the endpoint, however many attempts follow
    await S.users.alice!.post('/v1/channels/room/messages', { text: 'again' })
    await h.app.chat.runWebhooks()
    const audit = (
      await S.server.get(`/v1/app/audit?action=webhook.delivery_blocked&targetId=${hook.body.endpoint.id}`)
    ).body.entries
    expect(audit).toHaveLength(1)
    expect(audit[0]).toMatchObject({
      actor: { type: 'system' },
      outcome: 'denied',
      metadata: { code: 'webhook_url_forbidden' },
    })
  })

  it('refuses a stored target that is forbidden today (registered before the rule or by hand)', async () => {
    const hook = await S.server.post('/v1/webhooks', {
      url: 'http://hooks.example.com/ok',
      eventTypes: ['message.new'],
    })
    dns.set('hooks.example.com', ['93.184.216.34'])
    const id = hook.body.endpoint.id
    await sql`update webhook_endpoints set url = ${`http://[::ffff:127.0.0.1]:${port}/x`} where id = ${id}`.execute(
      h.database.kysely,
    )
    const before = received.length
    await S.users.alice!.post('/v1/channels/room/messages', { text: 'to a literal mapped loopback' })
    await h.app.chat.runWebhooks()
    expect((await lastDelivery(id)).lastError).toMatch(/^webhook_url_forbidden: .*IPv4-mapped/)
    expect(received.length).toBe(before)
  })
})

describe('webhook delivery to an explicitly allowed private range', () => {
  let h: Harness
  let S: Awaited<ReturnType<typeof seedApp>>
  beforeAll(async () => {
    h = await startHarness(
      'ssrf_allowed',
      { WEBHOOK_ALLOW_HTTP: 'true', WEBHOOK_ALLOWED_CIDRS: '127.0.0.1/32' },
      undefined,
      {
        webhookResolve: resolve,
      },
    )
    S = await seedApp(h.app, 'allowed', ['alice'])
    await S.users.alice!.post('/v1/channels', { type: 'team', id: 'room', members: [] })
  })
  afterAll(async () => h?.close())

  it('connects to the address the policy resolved (a name only the test resolver knows)', async () => {
    dns.set('receiver.internal', ['127.0.0.1'])
    const hook = await S.server.post('/v1/webhooks', {
      url: `http://receiver.internal:${port}/hook`,
      eventTypes: ['message.new'],
    })
    expect(hook.status).toBe(201)
    const before = received.length
    await S.users.alice!.post('/v1/channels/room/messages', { text: 'hello receiver' })
    await h.app.chat.runWebhooks()
    const delivery = (await S.server.get(`/v1/webhooks/${hook.body.endpoint.id}/deliveries`)).body
      .deliveries[0]
    expect(delivery).toMatchObject({ status: 'succeeded', lastStatusCode: 204 })
    expect(received.length).toBe(before + 1)
  })

  it('still refuses the rest of loopback', async () => {
    const res = await S.server.post('/v1/webhooks', { url: `http://127.0.0.2:${port}/x` })
    expect(res.status).toBe(422)
    expect(res.body.code).toBe('webhook_url_forbidden')
  })
})
