import { dirname, resolve } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import type { TObject } from '@sinclair/typebox'
import { type ReferenceSourceEntry, referenceSources } from './reference-sources.js'
import type { ConfigReferenceSource } from './render-reference.js'

export const repoRoot = resolve(dirname(fileURLToPath(import.meta.url)), '../../../..')
export const readmePath = resolve(repoRoot, 'README.md')

/** Imports the schema of every registered source. */
export async function loadReferenceSources(
  entries: ReferenceSourceEntry[] = referenceSources,
): Promise<ConfigReferenceSource[]> {
  return Promise.all(
    entries.map(async (entry) => {
      const module = (await import(pathToFileURL(resolve(repoRoot, entry.module)).href)) as Record<
        string,
        unknown
      >
      const schema = module[entry.exportName] as TObject | undefined
      if (schema?.type !== 'object') {
        throw new Error(`${entry.module} does not export a TypeBox object schema named ${entry.exportName}`)
      }
      return { title: entry.title, schema }
    }),
  )
}
