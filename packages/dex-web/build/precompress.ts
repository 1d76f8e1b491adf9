import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { brotliCompressSync, constants, gzipSync } from 'node:zlib'
import type { Plugin, ResolvedConfig } from 'vite'

const COMPRESSIBLE = /\.(js|css|html|svg|json|webmanifest|txt)$/
/** Below this, a compressed copy saves less than its headers cost. */
const MIN_BYTES = 1024

/**
 * Writes `.br` (quality 11) and `.gz` (level 9) beside each compressible file after the build, so
 * dex-server sends precompressed bytes and never compresses per request.
 */
export function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'soba-precompress',
    apply: 'build',
    configResolved(config: ResolvedConfig) {
      outDir = config.build.outDir.startsWith('/')
        ? config.build.outDir
        : join(config.root, config.build.outDir)
    },
    closeBundle() {
      const walk = (dir: string) => {
        for (const name of readdirSync(dir)) {
          const path = join(dir, name)
          if (statSync(path).isDirectory()) walk(path)
          else if (COMPRESSIBLE.test(name)) {
            const body = readFileSync(path)
            if (body.length < MIN_BYTES) continue
            writeFileSync(
              `${path}.br`,
              brotliCompressSync(body, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
            )
            writeFileSync(`${path}.gz`, gzipSync(body, { level: 9 }))
          }
        }
      }
      walk(outDir)
    },
  }
}
