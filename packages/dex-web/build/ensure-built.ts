/**
 * `npm start` runs this first: builds the web app when dist/ is missing or older than its sources,
 * so a fresh clone serves the app after `npm install && npm start`, and an unchanged tree starts
 * without rebuilding. (Building at install would slow every `npm ci`, CI's included.)
 */
import { spawnSync } from 'node:child_process'
import { existsSync, readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const root = fileURLToPath(new URL('..', import.meta.url))
const SOURCES = ['src', 'public', 'index.html', 'vite.config.ts', 'package.json', 'build/precompress.ts']

function newest(path: string): number {
  if (!existsSync(path)) return 0
  const stat = statSync(path)
  if (!stat.isDirectory()) return stat.mtimeMs
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))))
}

const built = join(root, 'dist', 'index.html')
const builtAt = existsSync(built) ? statSync(built).mtimeMs : 0
const changedAt = Math.max(...SOURCES.map((s) => newest(join(root, s))))
if (builtAt >= changedAt) {
  console.log('dex-web: build is current')
} else {
  console.log('dex-web: building the web app (about a minute on 2 cores)…')
  const result = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) process.exit(result.status ?? 1)
}
