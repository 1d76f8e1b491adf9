/**
 * `npm run build -w @chatsdk/react`: what the package publishes, in dist/: ESM modules with their
 * .d.ts (tsc, tsconfig.build.json) and the stylesheets (`@chatsdk/react/styles.css`).
 * @chatsdk/client's types come from its own dist/: build it first (the root `build:chat-sdk`).
 */
import { execFileSync } from 'node:child_process'
import { cp, rm } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' })
await cp(new URL('../src/styles/', import.meta.url), new URL('../dist/styles/', import.meta.url), {
  recursive: true,
})
console.log('dist/: ESM modules, .d.ts and styles')
