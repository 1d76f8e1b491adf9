import { createTestDatabase, type Database, schemaDifferences } from '@platform/service-kit/db'
import { afterAll, beforeAll, expect, it } from 'vitest'
import { migrateChatSchema } from '../main.js'
import { type ChatDatabase, chatSchema } from './database.js'

let database: Database<ChatDatabase>
beforeAll(async () => {
  database = await createTestDatabase<ChatDatabase>('chat_schema')
  await migrateChatSchema(database)
})
afterAll(() => database.close())

it('ChatDatabase describes exactly the tables and columns the migrations build', async () => {
  expect(await schemaDifferences(database.kysely, database.schema, chatSchema)).toEqual([])
})
