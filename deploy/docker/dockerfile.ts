/** Reads the instructions of this folder's Dockerfiles that the tests check (no Docker engine runs here). */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'

export interface RuntimeStage {
  /** CMD of the final stage, exec form. */
  cmd: string[]
  entrypoint: string[]
  user: string
  env: Record<string, string>
  labels: string[]
  healthcheck: string
}

/** Instructions of the last stage, with line continuations joined. */
export function readRuntimeStage(server: 'chat-server' | 'dex-server'): RuntimeStage {
  const text = readFileSync(join(import.meta.dirname, `${server}.Dockerfile`), 'utf8')
  const instructions = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line && !line.startsWith('#'))
  const lastFrom = instructions.findLastIndex((line) => /^FROM\s/i.test(line))
  const stage = instructions.slice(lastFrom)
  const argument = (keyword: string) =>
    stage
      .filter((line) => line.toUpperCase().startsWith(`${keyword} `))
      .map((line) => line.slice(keyword.length).trim())
  const env: Record<string, string> = {}
  for (const line of argument('ENV')) {
    for (const [, key, value] of line.matchAll(/(\w+)=(\S+)/g)) env[key as string] = value as string
  }
  return {
    cmd: JSON.parse(argument('CMD').at(-1) ?? '[]'),
    entrypoint: JSON.parse(argument('ENTRYPOINT').at(-1) ?? '[]'),
    user: argument('USER').at(-1) ?? 'root',
    env,
    labels: argument('LABEL').flatMap((line) => [...line.matchAll(/([\w.]+)=/g)].map((m) => m[1] as string)),
    healthcheck: argument('HEALTHCHECK').at(-1) ?? '',
  }
}
