import { afterAll, beforeAll, expect, it } from 'vitest'
import { client, type Harness, seedApp, startHarness } from './harness.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness('smoke')
})
afterAll(async () => h?.close())

it('creates an app, a channel and a message', async () => {
  const { users } = await seedApp(h.app, 'smoke', ['alice', 'bob'])
  const created = await users.alice!.post('/v1/channels', {
    type: 'messaging',
    id: 'general',
    members: ['bob'],
  })
  expect(created.status, JSON.stringify(created.body)).toBe(201)
  const sent = await users.alice!.post('/v1/channels/general/messages', {
    text: 'hello',
    clientMessageId: 'c1',
  })
  expect(sent.status, JSON.stringify(sent.body)).toBe(201)
  expect(sent.body.message.seq).toBe(1)
  const list = await users.bob!.get('/v1/channels/general/messages')
  expect(list.status).toBe(200)
  expect(list.body.messages.map((m: any) => m.text)).toEqual(['hello'])
  expect(client(h.app)).toBeDefined()
})
