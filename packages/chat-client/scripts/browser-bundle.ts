import { builtinModules } from 'node:module'
import { gzipSync } from 'node:zlib'
import { build, type Plugin } from 'esbuild'

const builtins = new Set(builtinModules)

/** Fails the build on any Node built-in, with the importing file named. */
const noNodeBuiltins: Plugin = {
  name: 'no-node-builtins',
  setup(b) {
    b.onResolve({ filter: /.*/ }, (args) => {
      const bare = args.path.replace(/^node:/, '').split('/')[0]!
      if (args.path.startsWith('node:') || builtins.has(bare)) {
        return { errors: [{ text: `Node built-in "${args.path}" imported by ${args.importer}` }] }
      }
      return undefined
    })
  },
}

export interface BrowserBundle {
  code: string
  bytes: number
  gzipBytes: number
}

/**
 * Bundles `@chatsdk/client` (with centrifuge) for browsers, minified ESM, as an app would ship it.
 * `entry` picks what the app imports, so tree-shaking can be measured too.
 */
export async function browserBundle(entry = "export * from './src/index.ts'"): Promise<BrowserBundle> {
  const result = await build({
    stdin: { contents: entry, resolveDir: new URL('..', import.meta.url).pathname, loader: 'ts' },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: 'es2022',
    minify: true,
    treeShaking: true,
    write: false,
    logLevel: 'silent',
    plugins: [noNodeBuiltins],
  })
  const code = result.outputFiles[0]!.text
  return { code, bytes: Buffer.byteLength(code), gzipBytes: gzipSync(code, { level: 9 }).length }
}
