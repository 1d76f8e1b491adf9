import type {
  ErasureResult,
  PrivacyEraser,
  PrivacyExporter,
  RetentionPolicy,
  SubjectContext,
  SubjectExport,
} from './types.js'

/**
 * Where each product declares what personal data it holds: exporters, erasers and retention
 * policies. The request workflow and the retention runner only ever go through this registry.
 */
export class PrivacyRegistry {
  private readonly exporters = new Map<string, PrivacyExporter>()
  private readonly erasers = new Map<string, PrivacyEraser>()
  private readonly retention = new Map<string, RetentionPolicy>()

  registerExporter(exporter: PrivacyExporter): this {
    PrivacyRegistry.add(this.exporters, exporter, 'exporter')
    return this
  }

  registerEraser(eraser: PrivacyEraser): this {
    PrivacyRegistry.add(this.erasers, eraser, 'eraser')
    return this
  }

  registerRetention(policy: RetentionPolicy): this {
    if (!(policy.everyMs > 0)) throw new Error(`retention policy ${policy.name} needs a positive interval`)
    PrivacyRegistry.add(this.retention, policy, 'retention policy')
    return this
  }

  get retentionPolicies(): RetentionPolicy[] {
    return [...this.retention.values()]
  }

  /** Runs every exporter; one section per exporter, in registration order. */
  async exportSubject(subject: SubjectContext): Promise<SubjectExport> {
    const sections: SubjectExport['sections'] = {}
    for (const exporter of this.exporters.values()) sections[exporter.name] = await exporter.export(subject)
    return {
      subjectId: subject.subjectId,
      appId: subject.appId ?? null,
      generatedAt: new Date().toISOString(),
      sections,
    }
  }

  /** Runs every eraser in registration order; stops at the first failure (erasers are idempotent, so a retry is safe). */
  async eraseSubject(subject: SubjectContext): Promise<Record<string, ErasureResult>> {
    const results: Record<string, ErasureResult> = {}
    for (const eraser of this.erasers.values()) results[eraser.name] = await eraser.erase(subject)
    return results
  }

  private static add<T extends { name: string }>(map: Map<string, T>, item: T, what: string): void {
    if (map.has(item.name)) throw new Error(`${what} ${item.name} is already registered`)
    map.set(item.name, item)
  }
}
