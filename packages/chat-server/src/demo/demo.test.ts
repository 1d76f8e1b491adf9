import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, startHarness } from '../testing/harness.js'
import { seedDemo } from './seed.js'

describe('the embedded demo: seeding and the development token route', () => {
  let h: Harness
  beforeAll(async () => {
    h = await startHarness('demo_seed')
  })
  afterAll(async () => {
    await h?.close()
  })

  const tokenFor = (userId: string) =>
    h.app.inject({ method: 'POST', url: '/v1/dev/tokens', payload: { userId } })

  it('seeds alice, bob and carol, two rooms with history and a DM, and changes nothing when run again', async () => {
    expect((await seedDemo(h.app)).created).toBe(true)
    const { accessToken } = (await tokenFor('alice')).json()
    const channels = async () =>
      (
        await h.app.inject({ url: '/v1/channels', headers: { authorization: `Bearer ${accessToken}` } })
      ).json().channels as { id: string; type: string; lastSeq: number }[]
    const first = await channels()
    expect(
      first
        .filter((c) => c.type !== 'direct')
        .map((c) => c.id)
        .sort(),
    ).toEqual(['general', 'random'])
    expect(first.filter((c) => c.type === 'direct')).toHaveLength(1)
    expect(first.every((c) => c.lastSeq > 0)).toBe(true)

    expect((await seedDemo(h.app)).created).toBe(false)
    expect(await channels()).toEqual(first)
  })

  it('signs a demo user in; anyone else is refused with problem+json', async () => {
    const ok = await tokenFor('carol')
    expect(ok.statusCode).toBe(200)
    expect(ok.json()).toMatchObject({
      userId: 'carol',
      accessToken: expect.any(String),
      connectionToken: expect.any(String),
    })
    const refused = await tokenFor('mallory')
    expect(refused.statusCode).toBe(400)
    expect(refused.headers['content-type']).toContain('application/problem+json')
    expect(refused.json().code).toBeTypeOf('string')
  })
})

describe('the development token route in production', () => {
  it('answers 404 like any unknown path', async () => {
    const h = await startHarness('demo_prod', {
      NODE_ENV: 'production',
      FILE_URL_SECRET: 'q8Zr4LmN2vXk7Tp1Wd9Hs3Gc6Yb5Fj0A',
    })
    try {
      const response = await h.app.inject({
        method: 'POST',
        url: '/v1/dev/tokens',
        payload: { userId: 'alice' },
      })
      expect(response.statusCode).toBe(404)
      expect(response.headers['content-type']).toContain('application/problem+json')
      expect(response.json().code).toBe('route_not_found')
    } finally {
      await h.close()
    }
  })
})
