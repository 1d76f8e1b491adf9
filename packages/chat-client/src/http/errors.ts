import type { Problem } from '../generated/api.js'

/** One invalid field of a request, as the server's validation reports it. */
export interface FieldError {
  /** JSON pointer-like path of the field, e.g. `/text` or `/attachments/0/url`. */
  path: string
  message: string
}

/**
 * Every failure the client reports. `status` is the HTTP status, or 0 when no response came
 * (network down, aborted, timed out). `code` is the server's stable problem code, or one of the
 * client's own: `network_error`, `aborted`, `invalid_response`, `offline`, `send_failed`.
 */
export class ChatError extends Error {
  override readonly name = 'ChatError'
  readonly status: number
  readonly code: string
  readonly fieldErrors: FieldError[]
  readonly problem: Problem | undefined
  /** Seconds the server asked us to wait (429/503 `Retry-After`). */
  readonly retryAfterSeconds: number | undefined

  constructor(
    init: {
      status: number
      code: string
      message: string
      problem?: Problem
      retryAfterSeconds?: number
    },
    options?: { cause?: unknown },
  ) {
    super(init.message, options)
    this.status = init.status
    this.code = init.code
    this.problem = init.problem
    this.fieldErrors = (init.problem?.errors ?? []).map(({ path, message }) => ({ path, message }))
    this.retryAfterSeconds = init.retryAfterSeconds
  }

  /** Worth trying again: no response at all, rate limited, or a server-side failure. */
  get transient(): boolean {
    return this.status === 0 ? this.code !== 'aborted' : this.status === 429 || this.status >= 500
  }
}

export function isChatError(error: unknown): error is ChatError {
  return error instanceof ChatError
}

/** Builds the error for a non-2xx response: problem+json when the server sent it, else the status. */
export async function errorFromResponse(response: Response): Promise<ChatError> {
  const retryAfter = Number(response.headers.get('retry-after'))
  const retryAfterSeconds = Number.isFinite(retryAfter) && retryAfter > 0 ? retryAfter : undefined
  let problem: Problem | undefined
  const type = response.headers.get('content-type') ?? ''
  if (type.includes('json')) {
    const body = (await response.json().catch(() => undefined)) as Partial<Problem> | undefined
    if (body && typeof body.code === 'string') problem = body as Problem
  }
  return new ChatError({
    status: response.status,
    code: problem?.code ?? `http_${response.status}`,
    message: problem?.detail ?? problem?.title ?? `${response.status} ${response.statusText}`,
    ...(problem ? { problem } : {}),
    ...(retryAfterSeconds ? { retryAfterSeconds } : {}),
  })
}
