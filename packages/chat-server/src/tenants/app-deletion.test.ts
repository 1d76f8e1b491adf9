import { afterAll, beforeAll, expect, it } from 'vitest'
import { client, type Harness, seedApp, startHarness } from '../testing/harness.js'

let h: Harness
beforeAll(async () => {
  h = await startHarness('app_deletion')
})
afterAll(async () => h?.close())

it("refuses a deleted app's API keys and user tokens at once, with 401, never 500", async () => {
  const { appId, server, users } = await seedApp(h.app, 'doomed', ['alice', 'bob'])
  // warm every cache the auth path uses (signing key, token state, API key, app settings)
  expect(
    (await users.alice!.post('/v1/channels', { type: 'messaging', id: 'c', members: ['bob'] })).status,
  ).toBe(201)
  expect((await users.alice!.post('/v1/channels/c/messages', { text: 'hi' })).status).toBe(201)
  expect((await users.bob!.get('/v1/me')).status).toBe(200)
  expect((await server.get('/v1/app')).status).toBe(200)

  expect((await client(h.app).admin.delete(`/v1/admin/apps/${appId}`)).status).toBe(204)

  for (const attempt of [
    () => users.alice!.post('/v1/channels/c/messages', { text: 'after delete' }),
    () => users.bob!.get('/v1/me'),
    () => users.bob!.get('/v1/channels/c/messages'),
    () => server.get('/v1/app'),
    () => server.post('/v1/users/carol/tokens'),
  ]) {
    const response = await attempt()
    expect(response.status, JSON.stringify(response.body)).toBe(401)
    expect(response.headers['content-type']).toContain('application/problem+json')
  }
})
