import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import S3rver from 's3rver'
import sharp from 'sharp'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type Harness, seedApp, startHarness } from '../testing/harness.js'
import { multipartFile } from '../testing/multipart.js'
import { S3Storage } from './s3-storage.js'

/** The S3 driver against s3rver (an S3 API on local disk): presigned and multipart flows. */
let s3: S3rver
let dir: string
let storage: S3Storage
let h: Harness
let S: Awaited<ReturnType<typeof seedApp>>

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 's3rver-'))
  s3 = new S3rver({
    address: '127.0.0.1',
    port: 0,
    silent: true,
    directory: dir,
    configureBuckets: [{ name: 'chat-test', configs: [] }],
  })
  const { port } = (await s3.run()) as { port: number }
  storage = new S3Storage({
    bucket: 'chat-test',
    region: 'us-east-1',
    endpoint: `http://127.0.0.1:${port}`,
    accessKeyId: 'S3RVER',
    secretAccessKey: 'S3RVER',
    forcePathStyle: true,
  })
  h = await startHarness('s3', { UPLOAD_IMAGE_MAX_BYTES: '200000' }, storage)
  S = await seedApp(h.app, 's3', ['alice', 'bob', 'eve'])
  await S.users.alice!.post('/v1/channels', { type: 'messaging', id: 'room', members: ['bob'] })
})
afterAll(async () => {
  await h?.close()
  await s3?.close()
  await rm(dir, { recursive: true, force: true })
})

describe('uploads on S3', () => {
  it('presigned upload: PUT to S3, complete, thumbnail; members read through a presigned URL, others cannot', async () => {
    const png = await sharp({ create: { width: 300, height: 150, channels: 3, background: '#0a0' } })
      .png()
      .toBuffer()
    const presigned = await S.users.alice!.post('/v1/channels/room/uploads/presign', {
      fileName: 'green.png',
      contentType: 'image/png',
      size: png.length,
    })
    expect(presigned.status, JSON.stringify(presigned.body)).toBe(201)
    expect(presigned.body.uploadUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/chat-test\//)
    const put = await fetch(presigned.body.uploadUrl, {
      method: 'PUT',
      headers: presigned.body.headers,
      body: png,
    })
    expect(put.status).toBe(200)
    const completed = await S.users.alice!.post(`/v1/uploads/${presigned.body.upload.id}/complete`)
    expect(completed.status, JSON.stringify(completed.body)).toBe(200)
    expect(completed.body.upload).toMatchObject({
      status: 'ready',
      width: 300,
      height: 150,
      hasThumbnail: true,
      size: png.length,
    })

    const link = await S.users.bob!.get(`/v1/uploads/${presigned.body.upload.id}/url?variant=thumbnail`)
    expect(link.status).toBe(200)
    const thumb = Buffer.from(await (await fetch(link.body.url)).arrayBuffer())
    const meta = await sharp(thumb).metadata()
    expect([meta.format, meta.width, meta.height]).toEqual(['webp', 256, 128])
    expect((await S.users.eve!.get(`/v1/uploads/${presigned.body.upload.id}/url`)).status).toBe(404)
  })

  it('a presigned upload whose bytes are not the image it claimed is refused and deleted', async () => {
    const bytes = Buffer.from('not an image at all')
    const presigned = await S.users.alice!.post('/v1/channels/room/uploads/presign', {
      fileName: 'x.png',
      contentType: 'image/png',
      size: bytes.length,
    })
    await fetch(presigned.body.uploadUrl, { method: 'PUT', headers: presigned.body.headers, body: bytes })
    const completed = await S.users.alice!.post(`/v1/uploads/${presigned.body.upload.id}/complete`)
    expect([completed.status, completed.body.code]).toEqual([400, 'invalid_image'])
    expect(await storage.head(`${S.appId}/room/${presigned.body.upload.id}`)).toBeUndefined()
    expect((await S.users.alice!.get(`/v1/uploads/${presigned.body.upload.id}/url`)).status).toBe(404)
  })

  it('multipart upload stores the file in S3', async () => {
    const text = Buffer.from('hello from multipart')
    const form = multipartFile('note.txt', 'text/plain', text)
    const response = await h.app.inject({
      method: 'POST',
      url: '/v1/channels/room/uploads',
      headers: { authorization: `Bearer ${S.tokens.alice}`, 'content-type': form.contentType },
      payload: form.payload,
    })
    expect(response.statusCode, response.body).toBe(201)
    const link = await S.users.bob!.get(`/v1/uploads/${response.json().upload.id}/url`)
    expect(await (await fetch(link.body.url)).text()).toBe('hello from multipart')
  })
})
