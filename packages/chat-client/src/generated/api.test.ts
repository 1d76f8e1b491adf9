import { readFile } from 'node:fs/promises'
import { describe, expect, it } from 'vitest'
import { userOperations } from '../../scripts/render-api-types.js'
import { formattedApiTypes, serverOpenApi } from '../../scripts/server-openapi.js'

describe('the generated API types', () => {
  it("match the server's OpenAPI document (run `npm run generate:api -w @chatsdk/client` when this fails)", async () => {
    const doc = await serverOpenApi()
    const committed = await readFile(new URL('./api.ts', import.meta.url), 'utf8')
    expect(committed).toBe(formattedApiTypes(doc))

    // every operation says who may call it, so none can slip past the user filter unseen
    const undocumented = Object.entries(doc.paths).flatMap(([path, ops]) =>
      Object.entries(ops)
        .filter(([, op]) => !op['x-chatsdk-callers']?.length)
        .map(([method]) => `${method} ${path}`),
    )
    expect(undocumented).toEqual([])
    const keys = userOperations(doc).map(([key]) => key)
    expect(keys).toContain('POST /v1/channels/{channelId}/messages')
    expect(keys).toContain('POST /v1/tokens/refresh')
    expect(keys).not.toContain('POST /v1/admin/apps')
    expect(keys).not.toContain('POST /v1/users/{userId}/tokens')
  }, 120_000)
})
