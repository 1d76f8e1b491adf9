import { defineConfig } from 'vitest/config'

// The browser test: a real chat-server serving the built app, driven by Debian's Chromium.
// Run by scripts/ci/chat-web.sh, which builds the app first.
export default defineConfig({
  test: {
    environment: 'node',
    include: ['e2e/**/*.e2e.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
