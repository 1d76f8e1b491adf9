/**
 * The presigned upload flow on local storage: what `complete` checked is what is served, whatever
 * is PUT afterwards, and every allowed type arrives as bytes (text/plain included).
 */
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'

describe('presigned uploads', () => {
  let h: Harness
  let S: Awaited<ReturnType<typeof seedApp>>
  let png: Buffer

  beforeAll(async () => {
    h = await startHarness('presigned_uploads')
    S = await seedApp(h.app, 'presigned', ['alice'])
    for (const id of ['room', 'odd@id.v2']) {
      expect((await S.users.alice!.post('/v1/channels', { type: 'messaging', id, members: [] })).status).toBe(
        201,
      )
    }
    png = await sharp({ create: { width: 4, height: 4, channels: 3, background: '#08f' } })
      .png()
      .toBuffer()
  }, 60_000)
  afterAll(async () => h?.close())

  /** presign → PUT → complete; answers the upload, the signed PUT and a signed GET of the file. */
  const upload = async (channelId: string, fileName: string, contentType: string, bytes: Buffer) => {
    const presigned = await S.users.alice!.post(`/v1/channels/${channelId}/uploads/presign`, {
      fileName,
      contentType,
      size: bytes.length,
    })
    expect(presigned.status, JSON.stringify(presigned.body)).toBe(201)
    const put = (body: Buffer, type = contentType) =>
      h.app.inject({
        method: 'PUT',
        url: presigned.body.uploadUrl,
        headers: { 'content-type': type },
        payload: body,
      })
    expect((await put(bytes)).statusCode).toBe(204)
    const completed = await S.users.alice!.post(`/v1/uploads/${presigned.body.upload.id}/complete`)
    expect(completed.status, JSON.stringify(completed.body)).toBe(200)
    const signed = await S.users.alice!.get(`/v1/uploads/${presigned.body.upload.id}/url`)
    const read = () => h.app.inject({ method: 'GET', url: signed.body.url })
    return { put, read }
  }

  it('a second PUT to the signed URL after complete does not replace the checked file', async () => {
    const { put, read } = await upload('room', 'dot.png', 'image/png', png)
    // the URL is still within its lifetime: the write is accepted, but it lands where nothing is served from
    await put(Buffer.from('<html><script>alert(1)</script></html>'))
    const served = await read()
    expect(served.statusCode).toBe(200)
    expect(served.headers['content-type']).toBe('image/png')
    expect(Buffer.compare(served.rawPayload, png)).toBe(0)
  })

  it('a presigned text/plain upload arrives as bytes and completes', async () => {
    const { read } = await upload('room', 'notes.txt', 'text/plain', Buffer.from('hello, plain text'))
    const served = await read()
    expect(served.statusCode).toBe(200)
    expect(served.body).toBe('hello, plain text')
  })

  it('a channel id with @ and dots gets a working signed URL', async () => {
    const { read } = await upload('odd@id.v2', 'notes.txt', 'text/plain', Buffer.from('odd'))
    expect((await read()).body).toBe('odd')
  })
})
