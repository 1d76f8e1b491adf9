import { readdir, readFile, writeFile } from 'node:fs/promises'
import { extname, join } from 'node:path'
import { promisify } from 'node:util'
import { brotliCompress, constants, gzip } from 'node:zlib'
import type { Plugin } from 'vite'

const brotli = promisify(brotliCompress)
const gz = promisify(gzip)

const COMPRESSIBLE = new Set(['.html', '.js', '.css', '.svg', '.json', '.txt', '.webmanifest'])
/** Below this, the headers cost more than compression saves. */
const MIN_BYTES = 256

/**
 * Writes a brotli (`.br`) and a gzip (`.gz`) twin beside every compressible file of the build, at
 * the highest levels: it runs once per build, and chat-server then sends the bytes as they are
 * instead of compressing each response.
 */
export function precompress(): Plugin {
  let outDir = 'dist'
  return {
    name: 'chatsdk:precompress',
    apply: 'build',
    configResolved(config) {
      outDir = join(config.root, config.build.outDir)
    },
    async closeBundle() {
      const sizes = await precompressDir(outDir)
      for (const { path, bytes, br, gzip } of sizes) {
        this.info?.(`${path}: ${bytes} B, br ${br} B, gzip ${gzip} B`)
      }
    },
  }
}

export async function precompressDir(
  root: string,
): Promise<{ path: string; bytes: number; br: number; gzip: number }[]> {
  const written = []
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || !COMPRESSIBLE.has(extname(entry.name))) continue
    const path = join(entry.parentPath, entry.name)
    const body = await readFile(path)
    if (body.length < MIN_BYTES) continue
    const [br, gzip] = await Promise.all([
      brotli(body, {
        params: {
          [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
          [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
        },
      }),
      gz(body, { level: constants.Z_BEST_COMPRESSION }),
    ])
    // A twin that is not smaller is not worth a Content-Encoding.
    if (br.length < body.length) await writeFile(`${path}.br`, br)
    if (gzip.length < body.length) await writeFile(`${path}.gz`, gzip)
    written.push({ path, bytes: body.length, br: br.length, gzip: gzip.length })
  }
  return written
}
