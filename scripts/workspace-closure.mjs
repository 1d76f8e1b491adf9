#!/usr/bin/env node
/**
 * Prints the workspace folder given and every workspace package it depends on (dependencies only,
 * transitively), one folder a line. deploy/docker/assemble-runtime.sh copies these folders'
 * compiled output into a server's production tree.
 * usage: node scripts/workspace-closure.mjs packages/chat-server
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const folders = readdirSync('packages').map((name) => join('packages', name))
const manifestOf = (dir) => JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'))
const folderByName = new Map(
  folders.filter((dir) => existsSync(join(dir, 'package.json'))).map((dir) => [manifestOf(dir).name, dir]),
)

const start = process.argv[2]
if (!start) {
  console.error('usage: workspace-closure.mjs packages/<name>')
  process.exit(2)
}
const seen = new Set()
const visit = (dir) => {
  if (seen.has(dir)) return
  seen.add(dir)
  for (const dependency of Object.keys(manifestOf(dir).dependencies ?? {})) {
    const folder = folderByName.get(dependency)
    if (folder) visit(folder)
  }
}
visit(start)
for (const dir of seen) console.log(dir)
