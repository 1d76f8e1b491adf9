#!/usr/bin/env node
/**
 * The npm registry this project installs from serves only some platforms' builds of packages
 * that ship native binaries as optional dependencies (biome, rollup). npm then writes a lock file
 * without the other platforms' entries, and `npm ci` refuses that lock as "out of sync".
 * This records each missing optional dependency in the lock with its exact version and its
 * platform (os/cpu, read from the package name), so `npm ci` accepts the lock and skips the
 * packages that do not fit the machine, as it does on any registry.
 * Run it after every `npm install` that changes package-lock.json.
 */
import { readFileSync, writeFileSync } from 'node:fs'

const lockPath = new URL('../package-lock.json', import.meta.url)
const lock = JSON.parse(readFileSync(lockPath, 'utf8'))
const packages = lock.packages

const OS = [
  'android',
  'darwin',
  'freebsd',
  'linux',
  'openbsd',
  'sunos',
  'win32',
  'aix',
  'netbsd',
  'openharmony',
]
const CPU = ['arm64', 'x64', 'ia32', 'arm', 'riscv64', 'ppc64', 'loong64', 's390x', 'mips64el', 'loong64']

function platformOf(name) {
  const parts = name.split('/').pop().split('-')
  const os = parts.find((p) => OS.includes(p))
  const cpu = parts.find((p) => CPU.includes(p))
  const platform = {}
  if (os) platform.os = [os]
  if (cpu) platform.cpu = [cpu]
  if (parts.includes('musl')) platform.libc = ['musl']
  else if (parts.includes('gnu') || parts.includes('gnueabihf') || os === 'linux') platform.libc = ['glibc']
  if (parts.includes('msvc') && !platform.os) platform.os = ['win32']
  return platform
}

let added = 0
for (const [path, entry] of Object.entries(packages)) {
  for (const [dep, spec] of Object.entries(entry.optionalDependencies ?? {})) {
    const base = path === '' ? '' : `${path}/`
    const candidates = [`${base}node_modules/${dep}`, `node_modules/${dep}`]
    if (candidates.some((c) => packages[c])) continue
    if (!/^\d+\.\d+\.\d+/.test(spec)) continue // only exact pins can be recorded faithfully
    packages[`node_modules/${dep}`] = {
      version: spec,
      ...(entry.dev ? { dev: true } : {}),
      optional: true,
      ...platformOf(dep),
    }
    added++
  }
}

if (added > 0) {
  lock.packages = Object.fromEntries(
    Object.entries(packages).sort(([a], [b]) => (a === '' ? -1 : b === '' ? 1 : a.localeCompare(b))),
  )
  writeFileSync(lockPath, `${JSON.stringify(lock, null, 2)}\n`)
}
console.log(`lock-foreign-optionals: recorded ${added} optional platform package(s)`)
