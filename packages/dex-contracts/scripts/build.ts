// `npm run compile`: compile both builds and write the generated files.
// `npm run check-build` (--check): compile and fail if the committed files differ.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, relative } from 'node:path'
import { compileAll, packageRoot } from './compile.js'

const check = process.argv.includes('--check')
const started = Date.now()
const { results, files } = await compileAll()

let stale = 0
for (const [path, content] of files) {
  const current = existsSync(path) ? readFileSync(path, 'utf8') : undefined
  const name = relative(packageRoot, path)
  if (current === content) {
    console.log(`${name}: up to date`)
  } else if (check) {
    console.error(`${name}: differs from a fresh compile; run npm run compile -w @soba/contracts`)
    stale++
  } else {
    mkdirSync(dirname(path), { recursive: true })
    writeFileSync(path, content)
    console.log(`${name}: written`)
  }
}
for (const result of results) {
  console.log(`${result.build} build: pair init code hash ${result.pairInitCodeHash}`)
}
console.log(`solc ${results[0]?.solcLongVersion}, ${Date.now() - started} ms`)
if (stale > 0) process.exit(1)
