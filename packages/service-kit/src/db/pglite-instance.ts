import { mkdir } from 'node:fs/promises'
import { resolve } from 'node:path'
import { PGlite } from '@electric-sql/pglite'
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm'

const INT8_OID = 20

export interface PgliteOptions {
  /** Directory for the data files; omitted means in memory. */
  dataDir?: string
}

/**
 * Creates a PGlite with the extensions products rely on (pg_trgm for fuzzy search).
 * One instance may be shared by several Databases, each with its own schema.
 */
export async function createPglite(options: PgliteOptions = {}): Promise<PGlite> {
  const pglite = await PGlite.create({
    ...(options.dataDir ? { dataDir: options.dataDir } : {}),
    extensions: { pg_trgm },
    // PGlite turns int8 into a JS number, which loses precision past 2^53 and differs from pg
    // (a string): keep the text so both drivers answer the same.
    parsers: { [INT8_OID]: (text: string) => text },
  })
  return pglite
}

/**
 * The PGlite `npm start` shares between products: persisted under `<dataDir>/pglite`
 * (default `.data/pglite` in the working directory).
 */
export async function openEmbeddedPglite(options: { dataDir?: string } = {}): Promise<PGlite> {
  const dir = resolve(options.dataDir ?? '.data', 'pglite')
  await mkdir(dir, { recursive: true })
  return createPglite({ dataDir: dir })
}
