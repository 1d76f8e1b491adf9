/** Whose data, and in which tenant. Exporters and erasers must scope every query by both. */
export interface SubjectContext {
  subjectId: string
  appId?: string | undefined
}

export type ExportRow = Record<string, unknown>

/** Art. 15 / Art. 20: returns the subject's records of one kind (one section of the export). */
export interface PrivacyExporter {
  /** Section name, e.g. `chat.messages`; also the CSV file name. */
  name: string
  export(subject: SubjectContext): Promise<ExportRow[]>
}

export interface ErasureResult {
  /** Records deleted or anonymized. */
  erased: number
  /** What was kept and why (e.g. "trades kept 10 years: tax law, pseudonymized"). */
  retained?: string
}

/** Art. 17: deletes or anonymizes the subject's records of one kind. Must be idempotent. */
export interface PrivacyEraser {
  name: string
  erase(subject: SubjectContext): Promise<ErasureResult>
}

/** A purge of data past its retention period, run on a schedule by the RetentionRunner. */
export interface RetentionPolicy {
  name: string
  /** How often to run. */
  everyMs: number
  /** Deletes what expired as of `now`; returns how many records went. */
  purge(now: Date): Promise<number>
}

export interface SubjectExport {
  subjectId: string
  appId: string | null
  generatedAt: string
  sections: Record<string, ExportRow[]>
}

export type ExportFormat = 'json' | 'csv'

export interface ExportFile {
  name: string
  contentType: string
  content: string
}
