import { defineConfig } from 'vitest/config'

// Root suite: cross-product acceptance tests (each workspace runs its own suite).
export default defineConfig({
  test: { include: ['test/**/*.test.ts'], testTimeout: 30_000, hookTimeout: 90_000, pool: 'forks' },
})
