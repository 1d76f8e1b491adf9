import { defaultClientConditions, defaultServerConditions } from 'vite'
import { defineConfig } from 'vitest/config'

// Unit tests of the app's own modules (jsdom). The browser test has its own config.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  // the SDK packages as source (their "@chatsdk/source" export condition), not their dist/
  resolve: { conditions: ['@chatsdk/source', ...defaultClientConditions] },
  ssr: { resolve: { conditions: ['@chatsdk/source', ...defaultServerConditions] } },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], pool: 'forks' },
})
