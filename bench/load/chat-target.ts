/**
 * ChatSDK under load: an app with 50 users in 10 channels, each virtual user acting as one user
 * (its own token, so per-user limits apply per user as in production), reading channels, history
 * and unread counts and sending messages, while 1,000 realtime connections listen.
 */
import { randomUUID } from 'node:crypto'
import type { Endpoint } from './http-step.js'
import type { WsTarget } from './ws-clients.js'

const USERS = 50
const CHANNELS = 10

export interface PreparedTarget {
  endpoints: Endpoint[]
  ws?: WsTarget
}

async function call<T>(
  baseUrl: string,
  method: string,
  path: string,
  headers: Record<string, string>,
  body?: unknown,
): Promise<T> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  })
  if (!response.ok) throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`)
  return (await response.json()) as T
}

export async function prepareChat(baseUrl: string, adminKey: string): Promise<PreparedTarget> {
  const created = await call<{ app: { id: string }; apiKey: string }>(
    baseUrl,
    'POST',
    '/v1/admin/apps',
    { authorization: `Bearer ${adminKey}` },
    { name: `load-${Date.now()}` },
  )
  const server = { 'x-api-key': created.apiKey }
  const users = Array.from({ length: USERS }, (_, i) => `load-user-${i}`)
  await call(baseUrl, 'POST', '/v1/users/bulk', server, { users: users.map((id) => ({ id, name: id })) })
  const channels = Array.from({ length: CHANNELS }, (_, i) => `load-${i}`)
  for (const id of channels) {
    await call(baseUrl, 'POST', '/v1/channels', server, {
      type: 'messaging',
      id,
      members: users,
      createdBy: users[0],
    })
    for (let k = 0; k < 20; k++)
      await call(baseUrl, 'POST', `/v1/channels/${id}/messages`, server, {
        text: `history ${k}`,
        userId: users[k % USERS],
      })
  }
  const tokens: { accessToken: string; connectionToken: string }[] = []
  for (const id of users) tokens.push(await call(baseUrl, 'POST', `/v1/users/${id}/tokens`, server))

  const userOf = (vu: number) => vu % USERS
  const channelOf = (vu: number) => channels[vu % CHANNELS] as string
  const bearer = (vu: number) => ({ authorization: `Bearer ${tokens[userOf(vu)]?.accessToken}` })
  const endpoints: Endpoint[] = [
    { name: 'GET /health/live', kind: 'health', weight: 1, method: 'GET', path: () => '/health/live' },
    {
      name: 'GET /v1/channels',
      kind: 'api',
      weight: 2,
      method: 'GET',
      path: () => '/v1/channels',
      headers: bearer,
    },
    {
      name: 'GET /v1/channels/{id}/messages',
      kind: 'api',
      weight: 3,
      method: 'GET',
      path: (vu) => `/v1/channels/${channelOf(vu)}/messages?limit=50`,
      headers: bearer,
    },
    {
      name: 'POST /v1/channels/{id}/messages',
      kind: 'api',
      weight: 3,
      method: 'POST',
      path: (vu) => `/v1/channels/${channelOf(vu)}/messages`,
      headers: bearer,
      body: (vu, n) => ({ text: `load message ${n} from vu ${vu}`, clientMessageId: randomUUID() }),
    },
    {
      name: 'GET /v1/me/unread',
      kind: 'api',
      weight: 1,
      method: 'GET',
      path: () => '/v1/me/unread',
      headers: bearer,
    },
  ]
  const wsUrl = `${baseUrl.replace(/^http/, 'ws')}/connection/websocket`
  return {
    endpoints,
    ws: {
      url: wsUrl,
      connection: (i) => ({
        token: tokens[i % USERS]?.connectionToken as string,
        channel: `chat:${created.app.id}:${channelOf(i)}`,
      }),
    },
  }
}
