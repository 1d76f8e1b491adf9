// ChatSDK load test for k6: `k6 run -e BASE_URL=… -e ADMIN_API_KEY=… deploy/load/k6/chat.js`.
// setup() creates a throw-away app with 50 users in 10 channels (the admin key is needed for that
// only); each VU then acts as one user: lists channels, reads history, sends a message and reads
// its unread counts, once a second. A second scenario holds 1,000 WebSocket connections on the
// realtime gateway (Centrifugo JSON protocol), subscribed to the channels, for the sustain stage.
import { check, fail, sleep } from 'k6'
import http from 'k6/http'
import ws from 'k6/ws'
import { baseUrl, stages, thresholds } from './lib/profile.js'

const BASE = baseUrl('http://127.0.0.1:5500')
const USERS = 50
const CHANNELS = 10
const WS_CONNECTIONS = Number(__ENV.WS_CONNECTIONS || 1000)

/** @type {import('k6/options').Options} */
export const options = {
  scenarios: {
    api: { executor: 'ramping-vus', startVUs: 0, stages, exec: 'api' },
    websockets: {
      executor: 'per-vu-iterations',
      vus: WS_CONNECTIONS,
      iterations: 1,
      startTime: '10s',
      maxDuration: '110s',
      exec: 'listen',
    },
  },
  thresholds: {
    ...thresholds,
    'checks{scenario:websockets}': ['rate>0.99'],
  },
}

/**
 * @param {string} method
 * @param {string} path
 * @param {Record<string, string>} headers
 * @param {unknown} [body]
 */
function call(method, path, headers, body) {
  const response = http.request(method, `${BASE}${path}`, body === undefined ? null : JSON.stringify(body), {
    headers: { 'content-type': 'application/json', ...headers },
    tags: { kind: 'setup' },
  })
  if (response.status >= 300) fail(`${method} ${path}: ${response.status} ${response.body}`)
  return response.json()
}

export function setup() {
  const adminKey = __ENV.ADMIN_API_KEY
  if (!adminKey) fail('set ADMIN_API_KEY (the server admin key) so setup can create a test app')
  const created = /** @type {{ app: { id: string }, apiKey: string }} */ (
    call('POST', '/v1/admin/apps', { authorization: `Bearer ${adminKey}` }, { name: `k6-${Date.now()}` })
  )
  const server = { 'x-api-key': created.apiKey }
  const users = Array.from({ length: USERS }, (_, i) => `k6-user-${i}`)
  call('POST', '/v1/users/bulk', server, { users: users.map((id) => ({ id, name: id })) })
  const channels = Array.from({ length: CHANNELS }, (_, i) => `k6-${i}`)
  for (const id of channels)
    call('POST', '/v1/channels', server, { type: 'messaging', id, members: users, createdBy: users[0] })
  const tokens = users.map(
    (id) =>
      /** @type {{ accessToken: string, connectionToken: string }} */ (
        call('POST', `/v1/users/${id}/tokens`, server)
      ),
  )
  return { appId: created.app.id, channels, tokens }
}

/** @param {ReturnType<typeof setup>} data */
export function api(data) {
  const token = data.tokens[(__VU - 1) % USERS]
  const channel = data.channels[(__VU - 1) % CHANNELS]
  const user = {
    headers: { authorization: `Bearer ${token.accessToken}`, 'content-type': 'application/json' },
    tags: { kind: 'api' },
  }
  check(http.get(`${BASE}/health/live`, { tags: { kind: 'health' } }), {
    'health 200': (r) => r.status === 200,
  })
  check(http.get(`${BASE}/v1/channels`, user), { 'channels 200': (r) => r.status === 200 })
  check(http.get(`${BASE}/v1/channels/${channel}/messages?limit=50`, user), {
    'history 200': (r) => r.status === 200,
  })
  const sent = http.post(
    `${BASE}/v1/channels/${channel}/messages`,
    JSON.stringify({
      text: `k6 message ${__ITER} from VU ${__VU}`,
      clientMessageId: `k6-${__VU}-${__ITER}-${Date.now()}`,
    }),
    user,
  )
  check(sent, { 'send 201': (r) => r.status === 201 })
  check(http.get(`${BASE}/v1/me/unread`, user), { 'unread 200': (r) => r.status === 200 })
  sleep(1)
}

/** @param {ReturnType<typeof setup>} data */
export function listen(data) {
  const token = data.tokens[(__VU - 1) % USERS]
  const channel = `chat:${data.appId}:${data.channels[(__VU - 1) % CHANNELS]}`
  const url = `${BASE.replace(/^http/, 'ws')}/connection/websocket`
  let subscribed = false
  const response = ws.connect(url, {}, (socket) => {
    socket.on('open', () => {
      socket.send(
        `${JSON.stringify({ id: 1, connect: { token: token.connectionToken, name: 'k6' } })}\n${JSON.stringify({ id: 2, subscribe: { channel } })}`,
      )
    })
    socket.on('message', (data) => {
      for (const line of String(data).split('\n')) {
        if (line === '{}')
          socket.send('{}') // the server's ping: answer with a pong
        else if (line !== '' && JSON.parse(line).id === 2) subscribed = true
      }
    })
    // hold the connection through the sustain stage, as an open chat tab would
    socket.setTimeout(() => socket.close(), 90_000)
  })
  check(response, { 'websocket upgraded': (r) => r !== null && r.status === 101 })
  check(subscribed, { 'websocket subscribed': (s) => s })
}
