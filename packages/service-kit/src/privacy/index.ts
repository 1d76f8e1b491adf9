export { kitMigrationsDir } from '../audit/migrations-dir.js'
export { exportFiles, toCsv } from './export-format.js'
export { PrivacyRegistry } from './registry.js'
export {
  type FulfilResult,
  type PrivacyRequest,
  type PrivacyRequestKind,
  PrivacyRequestStateError,
  type PrivacyRequestStatus,
  PrivacyRequests,
  type StepContext,
} from './requests.js'
export {
  type RetentionLease,
  type RetentionRun,
  RetentionRunner,
  type RetentionRunnerOptions,
} from './retention.js'
export type {
  ErasureResult,
  ExportFile,
  ExportFormat,
  ExportRow,
  PrivacyEraser,
  PrivacyExporter,
  RetentionPolicy,
  SubjectContext,
  SubjectExport,
} from './types.js'
