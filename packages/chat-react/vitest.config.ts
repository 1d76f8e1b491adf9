import { defineConfig } from 'vitest/config'

// Hooks and components render in jsdom; the client they drive is the real @chatsdk/client
// against a real chat-server where a test needs the server (see src/testing/).
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: {
    environment: 'jsdom',
    include: ['src/**/*.test.{ts,tsx}'],
    testTimeout: 30_000,
    hookTimeout: 90_000,
    pool: 'forks',
  },
})
