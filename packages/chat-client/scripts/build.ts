/** `npm run build -w @chatsdk/client`: the browser bundle at dist/chatsdk-client.js (minified ESM). */
import { mkdir, writeFile } from 'node:fs/promises'
import { browserBundle } from './browser-bundle.js'

const bundle = await browserBundle()
await mkdir(new URL('../dist/', import.meta.url), { recursive: true })
await writeFile(new URL('../dist/chatsdk-client.js', import.meta.url), bundle.code)
console.log(`dist/chatsdk-client.js: ${bundle.bytes} bytes, ${bundle.gzipBytes} gzipped`)
