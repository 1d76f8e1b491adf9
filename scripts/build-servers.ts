/**
 * Compiles the server-side workspaces (the kit, the contracts package and both servers) from
 * TypeScript to JavaScript under each package's `dist/`, file by file, so production runs plain
 * `node` instead of `tsx`. Type checking stays with `npm run typecheck`: the sources are written
 * for `isolatedModules`, so transpiling each file alone gives the same JavaScript `tsc` would.
 * Node finds the compiled files through each package's `compiled` export condition
 * (`node --conditions=compiled`); tests and `tsx` keep resolving the `.ts` sources.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises'
import { dirname, join, relative } from 'node:path'
import { fileURLToPath } from 'node:url'
import ts from 'typescript'

export const SERVER_PACKAGES = ['service-kit', 'dex-contracts', 'chat-server', 'dex-server'] as const

const root = join(dirname(fileURLToPath(import.meta.url)), '..')

const compilerOptions: ts.CompilerOptions = {
  target: ts.ScriptTarget.ES2022,
  // Every package is `"type": "module"`: emit ES modules (NodeNext would need the package type).
  module: ts.ModuleKind.ES2022,
  verbatimModuleSyntax: true,
  isolatedModules: true,
  sourceMap: true,
}

async function* sourceFiles(dir: string): AsyncGenerator<string> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) yield* sourceFiles(path)
    else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.test.ts') && !entry.name.endsWith('.d.ts'))
      yield path
  }
}

async function buildPackage(name: string): Promise<number> {
  const src = join(root, 'packages', name, 'src')
  const dist = join(root, 'packages', name, 'dist')
  await rm(dist, { recursive: true, force: true })
  let count = 0
  for await (const file of sourceFiles(src)) {
    const out = join(dist, relative(src, file)).replace(/\.ts$/, '.js')
    const result = ts.transpileModule(await readFile(file, 'utf8'), {
      compilerOptions,
      fileName: file,
      reportDiagnostics: true,
    })
    const errors = result.diagnostics?.filter((d) => d.category === ts.DiagnosticCategory.Error) ?? []
    if (errors.length > 0) {
      throw new Error(`${file}: ${ts.flattenDiagnosticMessageText(errors[0]?.messageText ?? '', '\n')}`)
    }
    await mkdir(dirname(out), { recursive: true })
    await writeFile(out, result.outputText)
    if (result.sourceMapText) await writeFile(`${out}.map`, result.sourceMapText)
    count++
  }
  return count
}

const started = Date.now()
for (const name of SERVER_PACKAGES) {
  const files = await buildPackage(name)
  console.log(`built packages/${name}/dist (${files} files)`)
}
console.log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`)
