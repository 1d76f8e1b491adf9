/**
 * `npm run build -w @chatsdk/client`: what the package publishes.
 * - dist/**.js + .d.ts: ESM, one module per source file (tree-shakable), with type declarations
 *   (tsc, tsconfig.build.json); package.json `exports` points npm consumers here.
 * - dist/chatsdk-client.js: the browser bundle (minified ESM with centrifuge), for a script tag.
 */
import { execFileSync } from 'node:child_process'
import { mkdir, rm, writeFile } from 'node:fs/promises'
import { createRequire } from 'node:module'
import { fileURLToPath } from 'node:url'
import { browserBundle } from './browser-bundle.js'

const root = fileURLToPath(new URL('..', import.meta.url))
await rm(new URL('../dist/', import.meta.url), { recursive: true, force: true })
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc')
execFileSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' })
console.log('dist/: ESM modules and .d.ts')

const bundle = await browserBundle()
await mkdir(new URL('../dist/', import.meta.url), { recursive: true })
await writeFile(new URL('../dist/chatsdk-client.js', import.meta.url), bundle.code)
console.log(`dist/chatsdk-client.js: ${bundle.bytes} bytes, ${bundle.gzipBytes} gzipped`)
