/** A database of its own for one drill on the shared server, dropped afterwards (with its connections). */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

async function admin(serverUrl: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: serverUrl })
  await client.connect()
  try {
    await client.query(statement)
  } finally {
    await client.end()
  }
}

export async function createScratchDatabase(
  serverUrl: string,
  prefix: string,
): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `${prefix}_${randomBytes(4).toString('hex')}`
  const url = new URL(serverUrl)
  url.pathname = `/${name}`
  await admin(serverUrl, `create database ${name}`)
  return { url: url.href, drop: () => admin(serverUrl, `drop database if exists ${name} with (force)`) }
}
