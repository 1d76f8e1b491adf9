import { defineConfig } from 'vitest/config'

// Unit tests of the app's own modules (jsdom). The browser test has its own config.
export default defineConfig({
  esbuild: { jsx: 'automatic' },
  test: { environment: 'jsdom', include: ['src/**/*.test.{ts,tsx}'], pool: 'forks' },
})
