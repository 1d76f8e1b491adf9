import { describe, expect, it } from 'vitest'
import { browserBundle } from './browser-bundle.js'

describe('the browser build', () => {
  it('bundles for browsers with no Node built-in', async () => {
    const bundle = await browserBundle()
    expect(bundle.code).not.toMatch(/["']node:/)
    expect(bundle.code).toContain('ChatClient')
  })

  it('fails when something imports a Node built-in', async () => {
    await expect(browserBundle("import 'node:crypto'")).rejects.toThrow(/Node built-in "node:crypto"/)
    await expect(browserBundle("import 'fs'")).rejects.toThrow(/Node built-in "fs"/)
  })

  it('is tree-shakable: importing only the error type leaves the realtime client out', async () => {
    const whole = await browserBundle()
    const errorsOnly = await browserBundle("export { ChatError } from './src/index.ts'")
    expect(errorsOnly.code).not.toContain('centrifuge')
    expect(errorsOnly.gzipBytes).toBeLessThan(whole.gzipBytes / 10)
  })
})
