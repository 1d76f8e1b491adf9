/**
 * The config schemas documented in the README's configuration reference, in order. A product adds
 * one line for its schema here (a module path from the repo root and the export name) and runs
 * `npm run config:reference -w @platform/service-kit`. They are listed as paths and loaded
 * dynamically so the kit never imports a product.
 */
export interface ReferenceSourceEntry {
  title: string
  /** Module path relative to the repository root. */
  module: string
  /** Name of the exported TypeBox object schema. */
  exportName: string
}

export const referenceSources: ReferenceSourceEntry[] = [
  {
    title: 'Every service (service kit)',
    module: 'packages/service-kit/src/config/base-schema.ts',
    exportName: 'baseConfigSchema',
  },
  { title: 'ChatSDK server', module: 'packages/chat-server/src/config.ts', exportName: 'chatConfigSchema' },
  { title: 'Soba DEX server', module: 'packages/dex-server/src/config.ts', exportName: 'dexConfigSchema' },
]
