import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from './testing/harness.js'
import { multipartFile } from './testing/multipart.js'
import { verifyWebhookSignature } from './webhooks/signature.js'

/**
 * The acceptance scenario, steps 1-8, through the HTTP API only. Runs on PostgreSQL and
 * Redis when DATABASE_URL / REDIS_URL are set, else on PGlite and memory.
 */
let h: Harness
let receiver: Server
let receiverUrl: string
const attemptsByEvent = new Map<string, number>()
const accepted: { id: string; type: string; body: any }[] = []
let webhookSecret = ''
let badSignatures = 0

beforeAll(async () => {
  h = await startHarness('e2e')
  receiver = createServer((req, res) => {
    const chunks: Buffer[] = []
    req.on('data', (c) => chunks.push(c))
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8')
      if (!verifyWebhookSignature(webhookSecret, String(req.headers['x-chatsdk-signature']), body)) {
        badSignatures++
        res.writeHead(400).end()
        return
      }
      const event = JSON.parse(body)
      const attempts = (attemptsByEvent.get(event.id) ?? 0) + 1
      attemptsByEvent.set(event.id, attempts)
      // The receiver fails the first two tries of every event.
      if (attempts <= 2) {
        res.writeHead(503).end()
        return
      }
      accepted.push({ id: event.id, type: event.type, body: event })
      res.writeHead(200).end('ok')
    })
  })
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve))
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`
})

afterAll(async () => {
  await h?.close()
  await new Promise((resolve) => receiver?.close(resolve))
})

describe('ChatSDK end to end', () => {
  it('runs the whole product story: app, users, channels, messages, uploads, search, moderation, webhooks, GDPR', async () => {
    // 1-2. An admin creates an app; the backend upserts users and mints their tokens.
    const { appId, server, users, tokens } = await seedApp(h.app, 'e2e', ['alice', 'bob', 'carol'])
    const alice = users.alice!
    const bob = users.bob!
    const carol = users.carol!
    expect(tokens.alice).toMatch(/^ey/)

    const hook = await server.post('/v1/webhooks', { url: receiverUrl })
    expect(hook.status).toBe(201)
    webhookSecret = hook.body.secret

    // 3. Channels and a DM.
    const channel = await alice.post('/v1/channels', {
      type: 'messaging',
      id: 'general',
      name: 'General',
      members: ['bob', 'carol'],
    })
    expect(channel.status).toBe(201)
    expect(channel.body.channel.realtimeChannel).toBe(`chat:${appId}:general`)
    const dm = await alice.post('/v1/channels', { type: 'direct', members: ['bob'] })
    expect(dm.status).toBe(201)
    const dmAgain = await bob.post('/v1/channels', { type: 'direct', members: ['alice'] })
    expect(dmAgain.status).toBe(200)
    expect(dmAgain.body.channel.id).toBe(dm.body.channel.id)

    // send (idempotent), edit, delete, thread reply, react, read
    const first = await alice.post('/v1/channels/general/messages', {
      text: 'Hello team, the meeting is at 3',
      clientMessageId: 'a-1',
      mentions: ['bob'],
    })
    expect(first.status).toBe(201)
    expect(first.body.message.seq).toBe(1)
    const repeat = await alice.post('/v1/channels/general/messages', {
      text: 'Hello team, the meeting is at 3',
      clientMessageId: 'a-1',
    })
    expect(repeat.status).toBe(200)
    expect(repeat.body.message.id).toBe(first.body.message.id)
    const japanese = await bob.post('/v1/channels/general/messages', { text: '今日は東京で会議があります' })
    expect(japanese.body.message.seq).toBe(2)
    const typo = await carol.post('/v1/channels/general/messages', { text: 'I will be lte' })
    const edited = await carol.patch(`/v1/messages/${typo.body.message.id}`, { text: 'I will be late' })
    expect(edited.status).toBe(200)
    expect(edited.body.message.editedAt).not.toBeNull()
    const history = await carol.get(`/v1/messages/${typo.body.message.id}/history`)
    expect(history.body.edits.map((e: any) => e.text)).toEqual(['I will be lte'])
    const doomed = await bob.post('/v1/channels/general/messages', { text: 'oops wrong channel' })
    expect((await bob.delete(`/v1/messages/${doomed.body.message.id}`)).status).toBe(204)
    const reply = await bob.post('/v1/channels/general/messages', {
      text: 'I will be there',
      parentId: first.body.message.id,
    })
    expect(reply.status).toBe(201)
    const carolReply = await carol.post('/v1/channels/general/messages', {
      text: 'me too',
      parentId: first.body.message.id,
    })
    expect(carolReply.status).toBe(201)
    const parent = await alice.get(`/v1/messages/${first.body.message.id}`)
    expect(parent.body.message.replyCount).toBe(2)
    expect(parent.body.message.threadParticipants).toEqual(['bob', 'carol'])
    const thread = await alice.get(`/v1/messages/${first.body.message.id}/replies`)
    expect(thread.body.messages.map((m: any) => m.text)).toEqual(['I will be there', 'me too'])
    expect(
      (await bob.post(`/v1/messages/${first.body.message.id}/reactions`, { type: 'like' })).body
        .reactionCounts,
    ).toEqual({ like: 1 })
    expect(
      (await carol.post(`/v1/messages/${first.body.message.id}/reactions`, { type: 'like' })).body
        .reactionCounts,
    ).toEqual({ like: 2 })
    const mentions = await bob.get('/v1/me/mentions')
    expect(mentions.body.messages.map((m: any) => m.id)).toEqual([first.body.message.id])

    const page = await bob.get('/v1/channels/general/messages?limit=50')
    expect(page.body.messages.map((m: any) => m.type)).toEqual(['regular', 'regular', 'regular', 'deleted'])
    expect(page.body.messages[0].reactionCounts).toEqual({ like: 2 })
    expect(page.body.messages[0].ownReactions).toEqual(['like'])
    const unreadBefore = await bob.get('/v1/me/unread')
    expect(unreadBefore.body.channels.find((c: any) => c.channelId === 'general').unreadCount).toBe(2)
    const read = await bob.post('/v1/channels/general/read', {})
    expect(read.status).toBe(200)
    expect(
      (await bob.get('/v1/me/unread')).body.channels.find((c: any) => c.channelId === 'general').unreadCount,
    ).toBe(0)
    const seen = await alice.get(`/v1/messages/${first.body.message.id}/seen-by`)
    expect(seen.body.users.map((u: any) => u.userId)).toEqual(['bob'])

    // poll on a message
    const question = await alice.post('/v1/channels/general/messages', { text: 'Lunch?' })
    const poll = await alice.post(`/v1/messages/${question.body.message.id}/poll`, {
      question: 'Lunch?',
      options: ['Soba', 'Udon'],
    })
    expect(poll.status).toBe(201)
    const [soba, udon] = poll.body.poll.options
    await bob.post(`/v1/polls/${poll.body.poll.id}/votes`, { optionIds: [soba.id] })
    await carol.post(`/v1/polls/${poll.body.poll.id}/votes`, { optionIds: [udon.id] })
    const changed = await carol.post(`/v1/polls/${poll.body.poll.id}/votes`, { optionIds: [soba.id] })
    expect(changed.body.poll.options.map((o: any) => o.voteCount)).toEqual([2, 0])
    expect(changed.body.poll.ownVotes).toEqual([soba.id])

    // 4. An image upload gets dimensions and a thumbnail; members read it through a signed URL.
    const png = await sharp({ create: { width: 640, height: 480, channels: 3, background: '#3366ff' } })
      .png()
      .toBuffer()
    const form = multipartFile('blue.png', 'image/png', png)
    const uploaded = await h.app.inject({
      method: 'POST',
      url: '/v1/channels/general/uploads',
      headers: { authorization: `Bearer ${tokens.alice}`, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(uploaded.statusCode, uploaded.body).toBe(201)
    const upload = uploaded.json().upload
    expect([upload.width, upload.height, upload.hasThumbnail]).toEqual([640, 480, true])
    const thumbUrl = await bob.get(`/v1/uploads/${upload.id}/url?variant=thumbnail`)
    expect(thumbUrl.status).toBe(200)
    const thumb = await h.app.inject({ method: 'GET', url: thumbUrl.body.url })
    expect(thumb.statusCode).toBe(200)
    const thumbMeta = await sharp(thumb.rawPayload).metadata()
    expect([thumbMeta.format, thumbMeta.width, thumbMeta.height]).toEqual(['webp', 256, 192])
    const withImage = await alice.post('/v1/channels/general/messages', {
      text: 'look',
      attachments: [{ uploadId: upload.id }],
    })
    expect(withImage.body.message.attachments[0]).toMatchObject({ type: 'image', width: 640, height: 480 })
    expect(withImage.body.message.attachments[0].thumbUrl).toContain('/v1/files/')

    // 5. Search finds a Japanese phrase and a partial word.
    const jp = await alice.get(`/v1/search/messages?q=${encodeURIComponent('東京で会議')}`)
    expect(jp.body.results.map((r: any) => r.message.text)).toEqual(['今日は東京で会議があります'])
    const partial = await alice.get('/v1/search/messages?q=meet')
    expect(partial.body.results.map((r: any) => r.message.text)).toEqual(['Hello team, the meeting is at 3'])

    // 6. A message is reported; a moderator bans its author; the ban holds.
    const spam = await carol.post('/v1/channels/general/messages', { text: 'buy cheap watches' })
    const flag = await bob.post(`/v1/messages/${spam.body.message.id}/flags`, { reason: 'spam' })
    expect(flag.status).toBe(201)
    const queue = await alice.get('/v1/moderation/flags')
    expect(queue.body.flags.map((f: any) => f.id)).toEqual([flag.body.flag.id])
    const reviewed = await alice.post(`/v1/moderation/flags/${flag.body.flag.id}/review`, {
      action: 'ban_user',
      banDurationSeconds: 3600,
    })
    expect(reviewed.body.flag.status).toBe('resolved')
    const refused = await carol.post('/v1/channels/general/messages', { text: 'let me back in' })
    expect(refused.status).toBe(403)
    expect(refused.body.code).toBe('user_banned')
    expect(
      (await carol.post(`/v1/messages/${first.body.message.id}/reactions`, { type: 'wow' })).status,
    ).toBe(403)

    // 7. The receiver gets every webhook event, signed, once per event id, despite failing first tries.
    for (let i = 0; i < 200; i++) {
      const { fannedOut, delivered } = await h.app.chat.runWebhooks()
      const pending = await h.database.kysely
        .selectFrom('webhook_deliveries')
        .select('id')
        .where('status', '=', 'pending')
        .execute()
      if (fannedOut === 0 && delivered === 0 && pending.length === 0) break
      await new Promise((resolve) => setTimeout(resolve, 5))
    }
    const expected = await h.database.kysely
      .selectFrom('outbox')
      .select(['event_id', 'type', 'channel'])
      .where('app_id', '=', appId)
      .execute()
    const expectedIds = expected
      .filter((e) => !['typing.start', 'typing.stop', 'presence.changed'].includes(e.type))
      // control events (server-side unsubscribe, disconnect) change sockets, never reach webhooks
      .filter((e) => !e.type.startsWith('control.'))
      .filter(
        (e) =>
          !(
            e.channel.startsWith('user:') &&
            ['member.added', 'member.removed', 'read.updated', 'channel.deleted'].includes(e.type)
          ),
      )
      .map((e) => e.event_id)
      .sort()
    expect(badSignatures).toBe(0)
    expect(accepted.map((a) => a.id).sort()).toEqual(expectedIds)
    expect(new Set(accepted.map((a) => a.id)).size).toBe(accepted.length)
    expect([...attemptsByEvent.values()].every((n) => n === 3)).toBe(true)
    expect(accepted.map((a) => a.type)).toEqual(
      expect.arrayContaining([
        'message.new',
        'message.updated',
        'message.deleted',
        'thread.reply',
        'reaction.new',
        'poll.updated',
        'read.updated',
        'user.banned',
      ]),
    )
    const log = await server.get(`/v1/webhooks/${hook.body.endpoint.id}/deliveries?limit=500`)
    expect(log.body.deliveries.every((d: any) => d.status === 'succeeded' && d.attempts === 3)).toBe(true)

    // 8. A user exports, then erases, their data; threads stay intact.
    const exported = await carol.get('/v1/me/export')
    expect(exported.status).toBe(200)
    expect(exported.body.sections['chat.profile'][0].id).toBe('carol')
    expect(exported.body.sections['chat.messages'].map((m: any) => m.text)).toEqual([
      'I will be late',
      'me too',
      'buy cheap watches',
    ])
    expect(exported.body.sections['chat.poll_votes']).toHaveLength(1)
    const csv = await h.app.inject({
      method: 'GET',
      url: '/v1/me/export?format=csv&section=chat.messages',
      headers: { authorization: `Bearer ${tokens.carol}` },
    })
    expect(csv.headers['content-type']).toContain('text/csv')
    expect(csv.body.split('\r\n')[0]).toBe(
      'id,channelId,seq,text,parentId,attachments,custom,createdAt,editedAt,deletedAt',
    )
    expect(csv.body).toContain('me too')
    const erased = await carol.delete('/v1/me')
    expect(erased.status).toBe(200)
    expect(erased.body.erasedMessages).toBe(3)
    expect((await carol.get('/v1/me')).status).toBe(401)
    const threadAfter = await alice.get(`/v1/messages/${first.body.message.id}/replies`)
    expect(threadAfter.body.messages.map((m: any) => [m.userId, m.text, m.type])).toEqual([
      ['bob', 'I will be there', 'reply'],
      [null, '', 'deleted'],
    ])
    const search = await alice.get('/v1/search/messages?q=late')
    expect(search.body.results).toEqual([])
    expect((await server.get('/v1/users/carol')).status).toBe(404)
  })
})
