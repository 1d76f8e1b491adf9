import { execFileSync } from 'node:child_process'
import { createRequire } from 'node:module'
import { startHarness } from '@chatsdk/server/testing/harness'
import { type OpenApiDocument, renderApiTypes } from './render-api-types.js'

/** The chat-server's OpenAPI document, from a real app on a throwaway schema (PGlite or DATABASE_URL). */
export async function serverOpenApi(): Promise<OpenApiDocument> {
  const harness = await startHarness(`openapi_${process.pid}`)
  try {
    return JSON.parse(JSON.stringify(harness.app.swagger())) as OpenApiDocument
  } finally {
    await harness.close()
  }
}

/** The generated file's text: rendered, then formatted by the repo's own formatter so lint passes. */
export function formattedApiTypes(doc: OpenApiDocument): string {
  const biome = createRequire(import.meta.url).resolve('@biomejs/biome/bin/biome')
  return execFileSync(process.execPath, [biome, 'format', '--stdin-file-path=src/generated/api.ts'], {
    input: renderApiTypes(doc),
    encoding: 'utf8',
  })
}
