/** `npm run generate:api -w @chatsdk/client`: rewrites src/generated/api.ts from the server's OpenAPI. */
import { writeFile } from 'node:fs/promises'
import { formattedApiTypes, serverOpenApi } from './server-openapi.js'

const target = new URL('../src/generated/api.ts', import.meta.url)
const text = formattedApiTypes(await serverOpenApi())
await writeFile(target, text)
console.log(`written: ${target.pathname} (${text.split('\n').length} lines)`)
