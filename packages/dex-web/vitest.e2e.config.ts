import { defineConfig } from 'vitest/config'

// The browser test (scripts/ci/dex-web.sh): one real dex-server, one Chromium, steps in order.
export default defineConfig({
  test: {
    include: ['e2e/**/*.test.ts'],
    testTimeout: 120_000,
    hookTimeout: 240_000,
    pool: 'forks',
    fileParallelism: false,
  },
})
