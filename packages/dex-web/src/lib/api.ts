/** The DEX API (same origin, under /v1): typed fetches that turn problem+json answers into ApiError. */

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly path?: string,
  ) {
    super(message)
    this.name = 'ApiError'
  }
}

export async function api<T>(
  path: string,
  init: RequestInit & { onRotate?: (token: string) => void } = {},
): Promise<T> {
  const { onRotate, ...request } = init
  const response = await fetch(path, {
    ...request,
    headers: { accept: 'application/json', ...request.headers },
  })
  // Signed-in routes may rotate the session id (the DEX's SIWE sessions).
  const rotated = response.headers.get('x-session-token')
  if (rotated && onRotate) onRotate(rotated)
  if (response.status === 204) return undefined as T
  const body = await response.json().catch(() => null)
  if (!response.ok) {
    const problem = (body ?? {}) as {
      code?: string
      detail?: string
      title?: string
      errors?: Array<{ path?: string }>
    }
    throw new ApiError(
      response.status,
      problem.code ?? `http_${response.status}`,
      problem.detail ?? problem.title ?? response.statusText,
      problem.errors?.[0]?.path,
    )
  }
  return body as T
}

/** Query string from defined values only. */
export function query(params: Record<string, string | number | boolean | undefined | null>): string {
  const search = new URLSearchParams()
  for (const [key, value] of Object.entries(params))
    if (value !== undefined && value !== null) search.set(key, String(value))
  const text = search.toString()
  return text === '' ? '' : `?${text}`
}
