import { api } from '../lib/api.js'

const KEY = 'soba.session'

export interface StoredSession {
  token: string
  address: string
  expiresAt: string
}

/** The SIWE session token lives for the tab only (sessionStorage): closing the tab signs out. */
export function loadSession(address: string | undefined): StoredSession | null {
  try {
    const session = JSON.parse(sessionStorage.getItem(KEY) ?? 'null') as StoredSession | null
    if (!session || !address || session.address.toLowerCase() !== address.toLowerCase()) return null
    return Date.parse(session.expiresAt) > Date.now() ? session : null
  } catch {
    return null
  }
}

export function saveSession(session: StoredSession | null): void {
  if (session) sessionStorage.setItem(KEY, JSON.stringify(session))
  else sessionStorage.removeItem(KEY)
}

/**
 * A signed-in API call. The server may rotate the session and send the new id in
 * `x-session-token`; it replaces the stored one so the next call keeps working.
 */
export async function authed<T>(session: StoredSession, path: string, init: RequestInit = {}): Promise<T> {
  let rotated: string | null = null
  const response = await api<T>(path, {
    ...init,
    headers: {
      authorization: `Bearer ${session.token}`,
      ...(init.body ? { 'content-type': 'application/json' } : {}),
      ...init.headers,
    },
    onRotate: (token: string) => {
      rotated = token
    },
  })
  if (rotated) saveSession({ ...session, token: rotated })
  return response
}
