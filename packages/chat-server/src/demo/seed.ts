import type { App } from '@platform/service-kit/http'
import { createChannel, getChannel } from '../channels/channels.js'
import type { ChatContext } from '../shared/context.js'
import { createChatApp, listChatApps } from '../tenants/apps.js'
import { mintTokens } from '../tokens/tokens.js'
import { upsertUsers } from '../users/users.js'

/** The app the demo web app signs people into (development and embedded mode only). */
export const DEMO_APP_NAME = 'ChatSDK demo'

export const DEMO_USERS = [
  { id: 'alice', name: 'Alice' },
  { id: 'bob', name: 'Bob' },
  { id: 'carol', name: 'Carol' },
]

const HISTORY: Record<string, [user: string, text: string][]> = {
  general: [
    ['carol', 'Welcome to #general! I moderate here: be kind, stay on topic.'],
    ['alice', 'Morning all. Standup notes are in the doc.'],
    ['bob', 'Thanks @alice, reading them now.'],
  ],
  random: [
    ['bob', 'Anyone tried the new soba place by the station?'],
    ['carol', 'Yes! Get the cold zaru soba.'],
  ],
}

/**
 * Seeds the demo: the app, alice, bob and carol (who owns, and so moderates, the rooms), the
 * rooms #general and #random with a little history, and a direct conversation between alice and
 * bob. Idempotent: what exists is left alone, so a restart changes nothing.
 */
export async function seedDemo(app: App): Promise<{ appId: string; created: boolean }> {
  const ctx = app.chat.services.ctx as ChatContext
  const existing = (await listChatApps(ctx)).find((chatApp) => chatApp.name === DEMO_APP_NAME)
  const appId = existing?.id ?? (await createChatApp(ctx, DEMO_APP_NAME)).app.id
  await upsertUsers(ctx, appId, DEMO_USERS)
  const backend = { kind: 'server' as const, appId, keyId: '' }
  let created = !existing
  for (const id of ['general', 'random']) {
    if (await exists(ctx, backend, id)) continue
    created = true
    await createChannel(ctx, backend, {
      type: 'team',
      id,
      name: id,
      members: DEMO_USERS.map((user) => user.id),
      createdBy: 'carol',
    } as never)
    for (const [userId, text] of HISTORY[id] ?? []) await sendAs(app, appId, userId, id, text)
  }
  const dm = await createChannel(ctx, backend, {
    type: 'direct',
    members: ['alice', 'bob'],
    createdBy: 'alice',
  } as never)
  if (dm.created) await sendAs(app, appId, 'alice', dm.channel.id, 'Hey Bob, lunch later?')
  return { appId, created }
}

async function exists(
  ctx: ChatContext,
  who: { kind: 'server'; appId: string; keyId: string },
  channelId: string,
) {
  try {
    await getChannel(ctx, who, channelId)
    return true
  } catch {
    return false
  }
}

/** Through the API as the user, so the history is written exactly as live messages are. */
async function sendAs(app: App, appId: string, userId: string, channelId: string, text: string) {
  const { accessToken } = await mintTokens(app.chat.services.ctx as ChatContext, appId, userId)
  const response = await app.inject({
    method: 'POST',
    url: `/v1/channels/${encodeURIComponent(channelId)}/messages`,
    headers: { authorization: `Bearer ${accessToken}`, 'content-type': 'application/json' },
    payload: JSON.stringify({
      text,
      clientMessageId: `seed:${channelId}:${text.length}:${text.slice(0, 16)}`,
    }),
  })
  if (response.statusCode >= 300) throw new Error(`demo seed: ${response.statusCode} ${response.body}`)
}
