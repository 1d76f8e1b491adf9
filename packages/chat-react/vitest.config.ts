import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Hooks and components render in jsdom; the session they drive talks to a real chat-server,
// started once for the run in the global setup (src/testing/).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  // @chatsdk/client as source (its "@chatsdk/source" export condition), not its built dist/
  resolve: { conditions: ['@chatsdk/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@chatsdk/source', ...defaultServerConditions] } },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    globalSetup: ['src/testing/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
  },
})
