import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { client, type Harness, seedApp, startHarness } from '../testing/harness.js'

/**
 * GDPR requests through the kit workflow: a user files, the app's backend verifies, the export or
 * erasure runs once, every step is audited; the self-service shortcuts leave the same trail.
 */
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>
beforeAll(async () => {
  h = await startHarness('privacy_requests')
  S = await seedApp(h.app, 'gdpr', ['alice', 'bob', 'carol'])
  await S.users.alice!.post('/v1/channels', { type: 'team', id: 'room', members: ['bob', 'carol'] })
  await S.users.alice!.post('/v1/channels/room/messages', { text: '=SUM(A1) "quoted", alice here' })
  await S.users.bob!.post('/v1/channels/room/messages', { text: 'bob here' })
})
afterAll(async () => h?.close())

const auditSteps = async (requestId: string) =>
  (
    await S.server.get(`/v1/app/audit?targetType=privacy_request&targetId=${requestId}`)
  ).body.entries.reverse()

describe('privacy requests: requested -> verified -> done', () => {
  it('a user files a portability request; it waits for the backend, then the user collects CSV files', async () => {
    const filed = await S.users.alice!.post('/v1/me/privacy-requests', { kind: 'portability', format: 'csv' })
    expect(filed.status).toBe(201)
    const id = filed.body.request.id
    expect(filed.body.request).toMatchObject({ status: 'requested', kind: 'portability', subjectId: 'alice' })
    expect(filed.body.request.appId).toBeUndefined()

    // nothing runs before verification
    const early = await S.users.alice!.post(`/v1/me/privacy-requests/${id}/fulfil`)
    expect(early.status).toBe(409)
    expect(early.body.code).toBe('invalid_transition')

    const verified = await S.server.post(`/v1/privacy-requests/${id}/verify`, { method: 'email-link' })
    expect(verified.body.request).toMatchObject({ status: 'verified' })
    expect(verified.body.request.verifiedBy).toMatch(/^api_key:/)

    const done = await S.users.alice!.post(`/v1/me/privacy-requests/${id}/fulfil`)
    expect(done.status).toBe(200)
    expect(done.body.request.status).toBe('done')
    const names = done.body.files.map((f: any) => f.name)
    expect(names).toEqual(
      expect.arrayContaining(['chat.profile.csv', 'chat.messages.csv', 'chat.memberships.csv']),
    )
    const messages = done.body.files.find((f: any) => f.name === 'chat.messages.csv')
    expect(messages.contentType).toMatch(/^text\/csv/)
    // formula-safe and RFC 4180 quoted; only alice's rows
    expect(messages.content).toContain(`"'=SUM(A1) ""quoted"", alice here"`)
    expect(messages.content).not.toContain('bob here')
    // counts are kept, the data is not
    expect(done.body.request.result.sections['chat.messages']).toBe(1)
    expect(JSON.stringify(done.body.request.result)).not.toContain('alice here')

    const again = await S.users.alice!.post(`/v1/me/privacy-requests/${id}/fulfil`)
    expect(again.status).toBe(409)

    const steps = await auditSteps(id)
    expect(steps.map((e: any) => e.action)).toEqual([
      'privacy.request.requested',
      'privacy.request.verified',
      'privacy.request.completed',
    ])
    expect(steps[0].actor).toEqual({ type: 'user', id: 'alice' })
    expect(steps[1].actor.type).toBe('api_key')
    expect(steps[1].metadata.method).toBe('email-link')
    for (const step of steps) {
      expect(step.ip).toBe('127.0.0.1')
      expect(step.requestId).toBeTruthy()
    }
  })

  it("keeps one user's requests from another user, and lists each user's own", async () => {
    const filed = await S.users.alice!.post('/v1/me/privacy-requests', { kind: 'access' })
    const stolen = await S.users.bob!.post(`/v1/me/privacy-requests/${filed.body.request.id}/fulfil`)
    expect(stolen.status).toBe(404)
    const mine = (await S.users.bob!.get('/v1/me/privacy-requests')).body.requests
    expect(mine.every((r: any) => r.subjectId === 'bob')).toBe(true)
    const all = (await S.server.get('/v1/privacy-requests?userId=alice&status=requested')).body.requests
    expect(all.map((r: any) => r.id)).toContain(filed.body.request.id)
  })

  it('a rejected request can never be fulfilled', async () => {
    const filed = await S.users.alice!.post('/v1/me/privacy-requests', { kind: 'erasure' })
    const id = filed.body.request.id
    const rejected = await S.server.post(`/v1/privacy-requests/${id}/reject`, {
      reason: 'identity not confirmed',
    })
    expect(rejected.body.request).toMatchObject({ status: 'rejected', error: 'identity not confirmed' })
    expect((await S.server.post(`/v1/privacy-requests/${id}/verify`, { method: 'x' })).status).toBe(409)
    expect((await S.server.post(`/v1/privacy-requests/${id}/fulfil`)).status).toBe(409)
    // alice is still there
    expect((await S.server.get('/v1/users/alice')).status).toBe(200)
  })

  it('the backend files, verifies and fulfils an erasure; threads keep their shape', async () => {
    const filed = await S.server.post('/v1/users/carol/privacy-requests', { kind: 'erasure' })
    expect(filed.status).toBe(201)
    const id = filed.body.request.id
    await S.server.post(`/v1/privacy-requests/${id}/verify`, { method: 'support-ticket-42' })
    const carolMessage = await client(h.app)
      .user((await S.server.post('/v1/users/carol/tokens')).body.accessToken)
      .post('/v1/channels/room/messages', { text: 'carol was here' })
    expect(carolMessage.status).toBe(201)
    const done = await S.server.post(`/v1/privacy-requests/${id}/fulfil`)
    expect(done.status).toBe(200)
    expect(done.body.request.status).toBe('done')
    expect(done.body.erasure['chat.user'].erased).toBe(1)
    expect((await S.server.get('/v1/users/carol')).status).toBe(404)
    const list = (await S.users.alice!.get('/v1/channels/room/messages')).body.messages
    const tombstone = list.find((m: any) => m.id === carolMessage.body.message.id)
    expect(tombstone).toBeDefined()
    expect(tombstone.text).toBe('')
    expect(JSON.stringify(list)).not.toContain('carol was here')
    expect((await auditSteps(id)).map((e: any) => e.action)).toEqual([
      'privacy.request.requested',
      'privacy.request.verified',
      'privacy.request.completed',
    ])
  })

  it('refuses requests for unknown users and unknown request ids', async () => {
    expect((await S.server.post('/v1/users/nobody/privacy-requests', { kind: 'access' })).status).toBe(404)
    expect((await S.server.get('/v1/privacy-requests/01936a3e-8f2a-7c41-9d1e-2b3c4d5e6f70')).status).toBe(404)
    const bad = await S.server.post('/v1/users/alice/privacy-requests', { kind: 'delete-everything' })
    expect(bad.status).toBe(400)
  })
})

describe('self-service shortcuts leave the same trail', () => {
  it('GET /v1/me/export is a completed access request verified by the user token', async () => {
    const res = await S.users.bob!.get('/v1/me/export')
    expect(res.status).toBe(200)
    expect(JSON.parse(res.raw.body).sections['chat.profile'][0].id).toBe('bob')
    const [latest] = (await S.users.bob!.get('/v1/me/privacy-requests')).body.requests
    expect(latest).toMatchObject({
      kind: 'access',
      status: 'done',
      requestedBy: 'user:bob',
      verifiedBy: 'user:bob',
    })
    // the security log about bob is part of his data: his token minted by the backend, with the IP
    const security = JSON.parse(res.raw.body).sections['chat.security_log']
    expect(security).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ action: 'token.minted', target: 'user:bob', ip: '127.0.0.1' }),
      ]),
    )
    expect(JSON.stringify(security)).not.toContain('user:alice')
    const steps = await auditSteps(latest.id)
    expect(steps.map((e: any) => e.action)).toEqual([
      'privacy.request.requested',
      'privacy.request.verified',
      'privacy.request.completed',
    ])
    expect(steps[1].metadata.method).toBe('user_access_token')
  })

  it('DELETE /v1/me erases through a request and returns its id', async () => {
    const res = await S.users.bob!.delete('/v1/me')
    expect(res.status).toBe(200)
    expect(res.body.erasedMessages).toBe(1)
    const request = (await S.server.get(`/v1/privacy-requests/${res.body.requestId}`)).body.request
    expect(request).toMatchObject({ kind: 'erasure', status: 'done', subjectId: 'bob' })
  })
})
