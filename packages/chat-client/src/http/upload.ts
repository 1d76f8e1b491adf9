import type { Upload } from '../types.js'
import { ChatError, errorFromResponse } from './errors.js'
import type { Transport } from './transport.js'

export interface UploadOptions {
  /** File name sent to the server; a File's own name by default. */
  name?: string
  /** Called with bytes sent and total while the body goes out (browsers, through XMLHttpRequest). */
  onProgress?: (sent: number, total: number) => void
  signal?: AbortSignal
}

interface XhrLike {
  open(method: string, url: string): void
  setRequestHeader(name: string, value: string): void
  send(body: unknown): void
  abort(): void
  readonly status: number
  readonly responseText: string
  getResponseHeader(name: string): string | null
  upload: { onprogress: ((event: { loaded: number; total: number }) => void) | null }
  onload: (() => void) | null
  onerror: (() => void) | null
  onabort: (() => void) | null
}

/**
 * Uploads one file to a channel (multipart, one part named `file`). With `onProgress` and an
 * XMLHttpRequest available (browsers) the body goes through XHR, the only browser API that
 * reports upload progress; otherwise through fetch.
 */
export async function uploadFile(
  transport: Transport,
  tokens: { accessToken(): Promise<string>; refresh(): Promise<string> },
  channelId: string,
  file: Blob,
  options: UploadOptions = {},
): Promise<{ upload: Upload }> {
  const url = `${transport.baseUrl}/v1/channels/${encodeURIComponent(channelId)}/uploads`
  const form = () => {
    const body = new FormData()
    const name = options.name ?? (file as { name?: string }).name ?? 'file'
    body.append('file', file, name)
    return body
  }
  const Xhr = (globalThis as { XMLHttpRequest?: new () => XhrLike }).XMLHttpRequest
  if (!options.onProgress || !Xhr) {
    return transport.send('POST', url, { body: form(), idempotent: false, signal: options.signal })
  }
  const once = (token: string) =>
    new Promise<{ status: number; text: string; type: string }>((resolve, reject) => {
      const xhr = new Xhr()
      xhr.open('POST', url)
      xhr.setRequestHeader('authorization', `Bearer ${token}`)
      xhr.setRequestHeader('accept', 'application/json')
      xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total)
      xhr.onload = () =>
        resolve({
          status: xhr.status,
          text: xhr.responseText,
          type: xhr.getResponseHeader('content-type') ?? '',
        })
      xhr.onerror = () =>
        reject(new ChatError({ status: 0, code: 'network_error', message: 'upload failed: no response' }))
      xhr.onabort = () => reject(new ChatError({ status: 0, code: 'aborted', message: 'upload aborted' }))
      options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
      xhr.send(form())
    })
  let result = await once(await tokens.accessToken())
  if (result.status === 401) result = await once(await tokens.refresh())
  const response = new Response(result.text || null, {
    status: result.status,
    headers: { 'content-type': result.type },
  })
  if (response.ok) return (await response.json()) as { upload: Upload }
  throw await errorFromResponse(response)
}
