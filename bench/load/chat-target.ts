/**
 * ChatSDK under load: an app with 50 users in 10 channels, each virtual user acting as one user
 * (its own token, so per-user limits apply per user as in production), reading channels, history
 * and unread counts and sending messages, while 1,000 realtime connections listen.
 */
import { randomUUID } from 'node:crypto'
import { callJson, createChatFixture } from './http-json.js'
import type { Endpoint } from './http-step.js'
import type { WsTarget } from './ws-clients.js'

const USERS = 50
const CHANNELS = 10

export interface PreparedTarget {
  endpoints: Endpoint[]
  ws?: WsTarget
}

export async function prepareChat(baseUrl: string, adminKey: string): Promise<PreparedTarget> {
  const fixture = await createChatFixture(baseUrl, adminKey, 'load', USERS, CHANNELS)
  const { channels, tokens } = fixture
  const server = { 'x-api-key': fixture.apiKey }
  // some history to read back
  for (const id of channels)
    for (let k = 0; k < 20; k++)
      await callJson(baseUrl, 'POST', `/v1/channels/${id}/messages`, server, {
        text: `history ${k}`,
        userId: fixture.users[k % USERS],
      })

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
        channel: `chat:${fixture.appId}:${channelOf(i)}`,
      }),
    },
  }
}
