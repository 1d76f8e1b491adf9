/** `npm run config:reference -w @platform/service-kit`: rewrites the README's configuration reference. */
import { readFile, writeFile } from 'node:fs/promises'
import { replaceSection } from './readme-section.js'
import { loadReferenceSources, readmePath } from './reference-loader.js'
import { renderConfigReference } from './render-reference.js'

const readme = await readFile(readmePath, 'utf8')
const reference = renderConfigReference(await loadReferenceSources())
await writeFile(readmePath, replaceSection(readme, reference))
console.log(`config reference written to ${readmePath}`)
