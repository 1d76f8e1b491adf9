import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, type Harness, startHarness } from '../testing/harness.js'
import { seedDemoApp } from './seed.js'

describe('demo app seeding and the dev token route', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness('demo')
  })
  afterAll(async () => {
    await h?.close()
  })

  it('seeds users, channels with history and a DM once, however often it runs', async () => {
    const first = await seedDemoApp(h.app.chat.services)
    const second = await seedDemoApp(h.app.chat.services)
    expect(first.created).toBe(true)
    expect(second).toEqual({ appId: first.appId, created: false })

    const c = client(h.app)
    const tokens = await c.anonymous.post('/v1/dev/demo/tokens', { userId: 'alice' })
    expect(tokens.status).toBe(200)
    expect(tokens.body.appId).toBe(first.appId)
    const alice = c.user(tokens.body.accessToken)
    const channels = await alice.get('/v1/channels')
    const byType = channels.body.channels.map((ch: { id: string; type: string }) => ch.type).sort()
    expect(byType).toEqual(['direct', 'team', 'team'])
    const general = await alice.get('/v1/channels/general/messages')
    expect(general.body.messages.map((m: { text: string }) => m.text)).toHaveLength(4)
    const random = await alice.get('/v1/channels/random/messages')
    expect(random.body.messages).toHaveLength(2)
    const members = await alice.get('/v1/channels/general')
    const carol = members.body.members.find((m: { userId: string }) => m.userId === 'carol')
    expect(carol.role).toBe('moderator')
    const dm = channels.body.channels.find((ch: { type: string }) => ch.type === 'direct')
    const dmMessages = await alice.get(`/v1/channels/${dm.id}/messages`)
    expect(dmMessages.body.messages).toHaveLength(1)
  })

  it('lists the demo users and signs one in; the token works on the API', async () => {
    const c = client(h.app)
    const demo = await c.anonymous.get('/v1/dev/demo')
    expect(demo.status).toBe(200)
    expect(demo.body.defaultChannel).toBe('general')
    expect(demo.body.users.map((u: { id: string }) => u.id)).toEqual(['alice', 'bob', 'carol'])
    expect(demo.body.users.find((u: { id: string }) => u.id === 'carol').moderator).toBe(true)
    const tokens = await c.anonymous.post('/v1/dev/demo/tokens', { userId: 'bob' })
    const me = await c.user(tokens.body.accessToken).get('/v1/me')
    expect(me.body.user.id).toBe('bob')
    expect(tokens.body.connectionToken).toMatch(/^ey/)
  })

  it('refuses users that are not demo users, with the field path', async () => {
    const c = client(h.app)
    const bad = await c.anonymous.post('/v1/dev/demo/tokens', { userId: 'mallory' })
    expect(bad.status).toBe(400)
    expect(bad.headers['content-type']).toContain('application/problem+json')
    expect(JSON.stringify(bad.body.errors)).toContain('userId')
  })
})

describe('the dev token route in production', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness('demo_prod', { NODE_ENV: 'production', FILE_URL_SECRET: 'f'.repeat(40) })
    await seedDemoApp(h.app.chat.services)
  })
  afterAll(async () => {
    await h?.close()
  })

  it('answers 404 on every dev route, even with the demo app present', async () => {
    const c = client(h.app)
    for (const response of [
      await c.anonymous.get('/v1/dev/demo'),
      await c.anonymous.post('/v1/dev/demo/tokens', { userId: 'alice' }),
    ]) {
      expect(response.status).toBe(404)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.body.accessToken).toBeUndefined()
    }
  })
})
