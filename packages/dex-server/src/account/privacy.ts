import type { PrivacyRegistry } from '@platform/service-kit/privacy'
import type { SessionManager } from '@platform/service-kit/sessions'
import type { AccountStore } from './store.js'

/**
 * The DEX's off-chain personal data, for GDPR export (Art. 15/20) and erasure (Art. 17): a
 * wallet's watchlist, its price alerts and its sessions. Subject id = lower-cased wallet address.
 * On-chain history is public and not ours to erase; the indexer's swap rows are chain data.
 */
export function registerAccountPrivacy(
  registry: PrivacyRegistry,
  parts: { store: AccountStore; sessions: SessionManager<any> },
): PrivacyRegistry {
  const { store, sessions } = parts
  return registry
    .registerExporter({
      name: 'dex.watchlist',
      export: async ({ subjectId }) => (await store.watchlist(subjectId)).map((entry) => ({ ...entry })),
    })
    .registerExporter({
      name: 'dex.price_alerts',
      export: async ({ subjectId }) => (await store.alerts(subjectId)).map((a) => ({ ...a })),
    })
    .registerExporter({
      name: 'dex.sessions',
      export: async ({ subjectId }) =>
        (await sessions.list(subjectId)).map((s) => ({
          createdAt: s.createdAt,
          lastSeenAt: s.lastSeenAt,
          expiresAt: s.expiresAt,
          ip: s.ip ?? null,
          device: s.device,
        })),
    })
    .registerEraser({
      name: 'dex.account',
      erase: async ({ subjectId }) => {
        const { watchlist, alerts } = await store.eraseAll(subjectId)
        return { erased: watchlist + alerts }
      },
    })
    .registerEraser({
      name: 'dex.sessions',
      erase: async ({ subjectId }) => ({ erased: await sessions.destroyAll(subjectId) }),
    })
}
