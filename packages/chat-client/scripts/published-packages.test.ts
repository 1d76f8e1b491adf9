import { execFile } from 'node:child_process'
import { mkdir, mkdtemp, realpath, rm, symlink, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

/**
 * What npm consumers get: @chatsdk/client and @chatsdk/react are built (`npm run build`), packed
 * as `npm publish` would pack them, installed from the tarballs into an app outside the
 * workspace, and that app type-checks against their declarations: strict, its own lib checked
 * too (skipLibCheck off), no Node types, under both module resolutions apps use.
 */
const REPO = fileURLToPath(new URL('../../../', import.meta.url))
const run = promisify(execFile)
const PACKAGES = ['@chatsdk/client', '@chatsdk/react'] as const
/** What the two packages' declarations import, taken from the workspace's node_modules. */
const PEERS = [
  'centrifuge',
  'react',
  'react-dom',
  '@types/react',
  '@types/react-dom',
  'csstype',
  '@tanstack/react-virtual',
  '@tanstack/virtual-core',
]

interface Packed {
  name: string
  filename: string
  files: { path: string }[]
}

let work: string
let packed: Packed[]

beforeAll(async () => {
  // react's build reads client's declarations: client first
  for (const name of PACKAGES) await run('npm', ['run', 'build', '-w', name], { cwd: REPO })
  work = await mkdtemp(join(tmpdir(), 'chatsdk-consumer-'))
  const { stdout } = await run(
    'npm',
    ['pack', '--json', '--pack-destination', work, ...PACKAGES.flatMap((name) => ['-w', name])],
    { cwd: REPO },
  )
  packed = JSON.parse(stdout) as Packed[]
}, 300_000)

afterAll(async () => {
  if (work) await rm(work, { recursive: true, force: true })
})

const filesOf = (name: string) => packed.find((p) => p.name === name)!.files.map((f) => f.path)

describe('the published packages', () => {
  it('ship ESM with .d.ts for every module, and no sources, tests or test helpers', () => {
    for (const name of PACKAGES) {
      const files = filesOf(name)
      expect(files, name).toContain('dist/index.js')
      expect(files, name).toContain('dist/index.d.ts')
      const js = files.filter((f) => f.endsWith('.js') && f !== 'dist/chatsdk-client.js')
      expect(js.length, name).toBeGreaterThan(10)
      for (const file of js) expect(files, name).toContain(file.replace(/\.js$/, '.d.ts'))
      expect(
        files.filter((f) => f.startsWith('src/') || /\.test\.|\/testing\//.test(f)),
        name,
      ).toEqual([])
    }
    expect(filesOf('@chatsdk/client')).toContain('dist/chatsdk-client.js')
    expect(filesOf('@chatsdk/react')).toContain('dist/styles/index.css')
  })

  it('type-check an app that installs them from the tarballs (NodeNext and Bundler resolution)', async () => {
    const app = join(work, 'app')
    for (const { name, filename } of packed) {
      const target = join(app, 'node_modules', name)
      await mkdir(target, { recursive: true })
      await run('tar', ['-xzf', join(work, filename), '-C', target, '--strip-components=1'])
    }
    for (const peer of PEERS) {
      const target = join(app, 'node_modules', peer)
      await mkdir(dirname(target), { recursive: true })
      await symlink(await realpath(join(REPO, 'node_modules', peer)), target, 'dir')
    }
    await writeFile(join(app, 'package.json'), JSON.stringify({ type: 'module', private: true }))
    await writeFile(join(app, 'app.tsx'), APP)
    for (const moduleResolution of ['NodeNext', 'Bundler']) {
      await writeFile(
        join(app, 'tsconfig.json'),
        JSON.stringify({
          compilerOptions: {
            target: 'ES2022',
            module: moduleResolution === 'NodeNext' ? 'NodeNext' : 'ESNext',
            moduleResolution,
            lib: ['ES2023', 'DOM', 'DOM.Iterable'],
            jsx: 'react-jsx',
            strict: true,
            noEmit: true,
            skipLibCheck: false,
            types: [],
          },
          files: ['app.tsx'],
        }),
      )
      const tsc = join(REPO, 'node_modules/typescript/bin/tsc')
      const result = await run(process.execPath, [tsc, '-p', app]).then(
        () => ({ ok: true, output: '' }),
        (error: { stdout?: string }) => ({ ok: false, output: error.stdout ?? String(error) }),
      )
      expect(result, `${moduleResolution}:\n${result.output}`).toEqual({ ok: true, output: '' })
    }
  }, 120_000)
})

/** An app's code: the quick start, a custom hook user, and a wrong call the types must refuse. */
const APP = `
import { ChatClient, type ChannelPaging, type Message } from '@chatsdk/client'
import { ChatProvider, MessageInput, MessageList, type MessageView, useMessages } from '@chatsdk/react'

const client = new ChatClient({
  baseUrl: 'https://chat.example.com',
  tokenProvider: () => fetch('/api/chat-token').then((response) => response.json()),
})

export function App() {
  return (
    <ChatProvider client={client}>
      <MessageList channelId="general" />
      <MessageInput channelId="general" />
    </ChatProvider>
  )
}

export function Newest({ channelId }: { channelId: string }) {
  const { messages, failed, retryLoad } = useMessages(channelId)
  const newest: MessageView | undefined = messages.at(-1)
  const kind: ChannelPaging['failed'] = failed
  return <button type="button" onClick={retryLoad}>{kind ?? newest?.seq}</button>
}

export const seqs = (list: readonly Message[]): number[] => list.map((message) => message.seq)

// @ts-expect-error baseUrl is a string: the declarations are real types, not any
new ChatClient({ baseUrl: 42, tokenProvider: async () => ({ accessToken: 't' }) })
`
