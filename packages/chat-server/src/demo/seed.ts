import { createChannel, setMemberRole } from '../channels/channels.js'
import { sendMessage } from '../messages/send.js'
import type { ChatServices } from '../shared/services.js'
import { createChatApp, listChatApps } from '../tenants/apps.js'
import { upsertUsers } from '../users/users.js'

/** The demo app's name: how the seed and the dev token route find it again. */
export const DEMO_APP_NAME = 'ChatSDK demo'

export const DEMO_USERS = [
  { id: 'alice', name: 'Alice' },
  { id: 'bob', name: 'Bob' },
  { id: 'carol', name: 'Carol' },
] as const
/** carol moderates the public channels (delete, mute, ban). */
export const DEMO_MODERATOR = 'carol'

const HISTORY: Record<'general' | 'random', [user: string, text: string][]> = {
  general: [
    ['alice', 'Welcome to ChatSDK! This is #general.'],
    ['bob', 'Hi Alice 👋'],
    ['carol', 'Hello both. I moderate here: be kind.'],
    ['alice', 'Try a thread, a reaction or an upload.'],
  ],
  random: [
    ['bob', 'Anything off-topic goes here.'],
    ['carol', 'Coffee or tea?'],
  ],
}

export interface DemoApp {
  appId: string
  created: boolean
}

/**
 * Creates the demo app (users alice, bob, carol; channels general and random with some history;
 * a DM between alice and bob) or finds the one an earlier start made. Idempotent across
 * restarts: every step checks first, and history messages carry fixed clientMessageIds, which
 * the send path deduplicates.
 */
export async function seedDemoApp(services: ChatServices): Promise<DemoApp> {
  const { ctx, send } = services
  const existing = (await listChatApps(ctx)).find((app) => app.name === DEMO_APP_NAME)
  const appId = existing?.id ?? (await createChatApp(ctx, DEMO_APP_NAME)).app.id
  const backend = { kind: 'server' as const, appId, keyId: 'demo-seed' }

  await upsertUsers(
    ctx,
    appId,
    DEMO_USERS.map((user) => ({ ...user })),
  )
  const owned = await ctx.db
    .selectFrom('channels')
    .select('id')
    .where('app_id', '=', appId)
    .where('id', 'in', ['general', 'random'])
    .execute()
  const have = new Set(owned.map((row: { id: string }) => row.id))
  for (const [id, name] of [
    ['general', 'General'],
    ['random', 'Random'],
  ] as const) {
    if (!have.has(id)) {
      await createChannel(ctx, backend, {
        type: 'team',
        id,
        name,
        members: ['bob', 'carol'],
        createdBy: 'alice',
      })
      await setMemberRole(ctx, backend, id, DEMO_MODERATOR, 'moderator')
    }
    for (const [index, [userId, text]] of HISTORY[id].entries()) {
      await sendMessage(ctx, send, { ...backend }, id, {
        text,
        userId,
        clientMessageId: `demo-seed-${id}-${index}`,
      })
    }
  }
  // a direct channel is found by its member pair, so creating it again returns the same one
  const dm = await createChannel(ctx, backend, { type: 'direct', members: ['bob'], createdBy: 'alice' })
  if (dm.created) {
    await sendMessage(ctx, send, backend, dm.channel.id, {
      text: 'Hey Bob, this is our DM.',
      userId: 'alice',
      clientMessageId: 'demo-seed-dm-0',
    })
  }
  return { appId, created: !existing }
}

/**
 * `npm start` on embedded defaults seeds the demo app so there is something to chat in; a
 * deployment with its own database (DATABASE_URL) or NODE_ENV=production never gets it.
 */
export async function seedDemoWhenEmbedded(
  services: ChatServices,
  log: { info(object: object, message: string): void },
): Promise<DemoApp | undefined> {
  const { config } = services.ctx
  if (config.DATABASE_URL || config.NODE_ENV === 'production') return undefined
  const demo = await seedDemoApp(services)
  log.info({ appId: demo.appId, created: demo.created }, 'demo app ready (users alice, bob, carol)')
  return demo
}
