/**
 * `npm run migrate [all|chat|dex]`: applies the pending migrations without starting the servers,
 * for a deploy step that runs before the new replicas (the servers also migrate on start, under
 * the same advisory lock, so running both is safe).
 *
 * Each product owns one schema and gets the kit's tables (audit log, privacy requests) in it
 * first, then its own. With DATABASE_URL it migrates that Postgres; without it, the embedded PGlite
 * that `npm start` uses (DATA_DIR, default `.data`).
 */
import { CHAT_SCHEMA, migrateChatSchema } from '@chatsdk/server/main'
import { openDatabase, openEmbeddedPglite } from '@platform/service-kit/db'
import { createLogger } from '@platform/service-kit/logging'
import { DEX_SCHEMA, migrateDexSchema } from '@soba/dex-server/main'

const products = {
  chat: { schema: CHAT_SCHEMA, migrateSchema: migrateChatSchema },
  dex: { schema: DEX_SCHEMA, migrateSchema: migrateDexSchema },
} as const
type Product = keyof typeof products

async function main(which: string): Promise<void> {
  const selected: Product[] = which === 'all' ? ['chat', 'dex'] : [which as Product]
  if (!selected.every((name) => name in products)) {
    console.error(`usage: migrate.ts all|chat|dex (got ${which})`)
    process.exit(2)
  }
  const logger = createLogger({ service: 'migrate', level: 'info' })
  const url = process.env.DATABASE_URL
  const pglite = url ? undefined : await openEmbeddedPglite({ dataDir: process.env.DATA_DIR })
  try {
    for (const name of selected) {
      const { schema, migrateSchema } = products[name]
      const database = await openDatabase({ schema, ...(url ? { url } : { pglite }) })
      try {
        const applied = await migrateSchema(database, logger)
        console.log(`${name}: schema ${schema}, ${applied} migration(s) applied`)
      } finally {
        await database.close()
      }
    }
  } finally {
    await pglite?.close()
  }
}

main(process.argv[2] ?? 'all').catch((error) => {
  console.error(error)
  process.exit(1)
})
