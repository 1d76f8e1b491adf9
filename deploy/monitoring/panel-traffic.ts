/**
 * The traffic the scrape test sends before Prometheus reads the servers: each dashboard panel's
 * series is produced by its real code path (requests, a realtime connection that comes and goes,
 * Sign-In with Ethereum with two devices, a refused sign-in, intelligence routes), not planted.
 */
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createSiweMessage } from 'viem/siwe'
import { callJson, createChatFixture } from '../../bench/load/http-json.js'
import { openWsFleet } from '../../bench/load/ws-clients.js'

export interface TrafficTargets {
  chat: string
  chatAdminKey: string
  dex: string
  /** A DEX process running some intelligence services (DEX_SERVICES), scraped as `dex-intel`; `dex` proxies them there. */
  intel: string
  intelServices: string[]
}

export async function sendPanelTraffic(targets: TrafficTargets): Promise<void> {
  await chatTraffic(targets.chat, targets.chatAdminKey)
  await dexTraffic(targets.dex)
  await signInTraffic(targets.dex)
  // Through the gateway, as clients call them, and to the intelligence process itself.
  for (const base of [targets.dex, targets.intel]) {
    for (const service of targets.intelServices) await fetch(`${base}/v1/intel/${service}/health`)
    await fetch(`${base}/v1/intel/no-such-service`)
  }
}

/** Requests, a failed authentication, messages, and realtime connections that subscribe, receive and leave. */
async function chatTraffic(chat: string, adminKey: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await fetch(`${chat}/health/live`)
    await fetch(`${chat}/v1/channels`, { headers: { 'x-api-key': 'wrong' } })
  }
  const fixture = await createChatFixture(chat, adminKey, 'scrape', 2, 1)
  const channel = fixture.channels[0] as string
  const fleet = await openWsFleet(
    {
      url: `${chat.replace(/^http/, 'ws')}/connection/websocket`,
      connection: (i) => ({
        token: fixture.tokens[i % 2]?.connectionToken as string,
        channel: `chat:${fixture.appId}:${channel}`,
      }),
    },
    2,
  )
  for (let k = 0; k < 3; k++) {
    await callJson(
      chat,
      'POST',
      `/v1/channels/${channel}/messages`,
      { 'x-api-key': fixture.apiKey },
      {
        text: `scrape ${k}`,
        userId: fixture.users[0],
      },
    )
  }
  // Deliveries reach the sockets through the outbox relay: wait for one before leaving.
  for (let i = 0; i < 40 && fleet.lastPublicationAt() === 0; i++) await new Promise((r) => setTimeout(r, 250))
  await fleet.close()
}

/** Pool reads, bad quote input and an unknown route (4xx). */
async function dexTraffic(dex: string): Promise<void> {
  for (let i = 0; i < 5; i++) {
    await fetch(`${dex}/v1/pools`)
    await fetch(`${dex}/v1/quote`)
    await fetch(`${dex}/v1/no-such-route`)
  }
}

/**
 * One wallet signs in from two devices (the second is a new-device signal) and signs out once;
 * a message with a wrong signature is refused.
 */
async function signInTraffic(dex: string): Promise<void> {
  const wallet = privateKeyToAccount(generatePrivateKey())
  const signIn = async (userAgent: string, sign = wallet.signMessage) => {
    const nonce = await callJson<{ nonce: string; domain: string; chainId: number }>(
      dex,
      'GET',
      '/v1/auth/nonce',
      {},
    )
    const message = createSiweMessage({
      address: wallet.address,
      chainId: nonce.chainId,
      domain: nonce.domain,
      uri: `http://${nonce.domain}/`,
      version: '1',
      nonce: nonce.nonce,
      issuedAt: new Date(),
    })
    return fetch(`${dex}/v1/auth/verify`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'user-agent': userAgent },
      body: JSON.stringify({ message, signature: await sign({ message }) }),
    })
  }
  const desktop = await signIn('Mozilla/5.0 (X11; Linux x86_64) Firefox/133.0')
  if (!desktop.ok) throw new Error(`SIWE sign-in failed: ${desktop.status} ${await desktop.text()}`)
  const phone = await signIn(
    'Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) Mobile/15E148 Safari/604.1',
  )
  const { token } = (await phone.json()) as { token: string }
  await fetch(`${dex}/v1/auth/logout`, { method: 'POST', headers: { authorization: `Bearer ${token}` } })
  const stranger = privateKeyToAccount(generatePrivateKey())
  const refused = await signIn('curl/8.5', (args) => stranger.signMessage(args))
  if (refused.status < 400 || refused.status >= 500)
    throw new Error(`a forged SIWE signature got ${refused.status}`)
}
