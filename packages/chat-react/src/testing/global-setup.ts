import type { TestProject } from 'vitest/node'
import { type LiveServerInfo, startLiveServer } from './live-server.js'

declare module 'vitest' {
  export interface ProvidedContext {
    chatServer: LiveServerInfo
  }
}

/** One chat-server for the whole run; tests reach it through `inject('chatServer')`. */
export default async function setup(project: TestProject) {
  const server = await startLiveServer('react_hooks', ['alice', 'bob'])
  project.provide('chatServer', { url: server.url, tokens: server.tokens, apiKey: server.apiKey })
  return () => server.close()
}
