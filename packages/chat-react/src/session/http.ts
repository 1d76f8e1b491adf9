/**
 * REST calls to ChatSDK with the user's access token: JSON in and out, problem+json errors as
 * ChatApiError (status, stable code, detail), one retry with a fresh token after a 401, and
 * uploads through XMLHttpRequest, the browser API that reports upload progress.
 */
export class ChatApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    detail: string,
  ) {
    super(detail)
    this.name = 'ChatApiError'
  }

  /** No answer from the server (offline, connection refused): worth retrying later. */
  get network(): boolean {
    return this.status === 0
  }
}

export interface Tokens {
  accessToken: string
  connectionToken?: string
}

type Query = Record<string, string | number | boolean | undefined>

export class Http {
  private token: Promise<Tokens> | null = null

  constructor(
    readonly baseUrl: string,
    private readonly tokenProvider: () => Promise<Tokens>,
  ) {}

  tokens(refresh = false): Promise<Tokens> {
    if (refresh || !this.token) {
      this.token = this.tokenProvider()
      this.token.catch(() => {
        this.token = null
      })
    }
    return this.token
  }

  async call<T>(
    method: string,
    path: string,
    options: { query?: Query; body?: unknown; signal?: AbortSignal } = {},
  ): Promise<T> {
    const url = new URL(`/v1${path}`, this.baseUrl)
    for (const [key, value] of Object.entries(options.query ?? {})) {
      if (value !== undefined) url.searchParams.set(key, String(value))
    }
    const once = async (refresh: boolean) => {
      const { accessToken } = await this.tokens(refresh)
      try {
        return await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${accessToken}`,
            accept: 'application/json',
            ...(options.body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) }),
          ...(options.signal ? { signal: options.signal } : {}),
        })
      } catch (error) {
        if (options.signal?.aborted) throw error
        throw new ChatApiError(0, 'network_error', 'The server could not be reached.')
      }
    }
    let response = await once(false)
    if (response.status === 401) response = await once(true)
    return read<T>(response)
  }

  /** Multipart upload of one file to a channel, reporting progress (0..1). */
  async upload(
    channelId: string,
    file: Blob & { name?: string },
    options: { onProgress?: (sent: number, total: number) => void; signal?: AbortSignal } = {},
  ): Promise<{ upload: { id: string } }> {
    const { accessToken } = await this.tokens()
    const url = new URL(`/v1/channels/${encodeURIComponent(channelId)}/uploads`, this.baseUrl)
    const form = new FormData()
    form.append('file', file, file.name ?? 'file')
    const response = await new Promise<Response>((resolve, reject) => {
      const xhr = new XMLHttpRequest()
      xhr.open('POST', url)
      xhr.setRequestHeader('authorization', `Bearer ${accessToken}`)
      xhr.setRequestHeader('accept', 'application/json')
      xhr.upload.onprogress = (event) => options.onProgress?.(event.loaded, event.total)
      xhr.onload = () =>
        resolve(
          new Response(xhr.responseText || null, {
            status: xhr.status,
            headers: { 'content-type': xhr.getResponseHeader('content-type') ?? '' },
          }),
        )
      xhr.onerror = () =>
        reject(new ChatApiError(0, 'network_error', 'The upload could not reach the server.'))
      xhr.onabort = () => reject(new ChatApiError(0, 'aborted', 'The upload was cancelled.'))
      options.signal?.addEventListener('abort', () => xhr.abort(), { once: true })
      xhr.send(form)
    })
    return read(response)
  }
}

async function read<T>(response: Response): Promise<T> {
  const text = await response.text()
  const body = text ? (JSON.parse(text) as Record<string, unknown>) : undefined
  if (!response.ok) {
    throw new ChatApiError(
      response.status,
      String(body?.code ?? 'http_error'),
      String(body?.detail ?? body?.title ?? `HTTP ${response.status}`),
    )
  }
  return body as T
}
