/**
 * The Kibana saved-objects layer: what the rest of caseops calls. Pure and streaming; no Slack, no store.
 * See README.md in this folder.
 */
export { type CaseExportInput } from './export/case-objects';
export type { ExportWarning } from './export/context';
export { type ExportOptions, exportLines } from './export/export-stream';
export { ndjsonChunks } from './export/ndjson';
export { DEFAULT_KIBANA_TARGET, isKibanaTarget, KIBANA_TARGETS, type KibanaTarget, TARGET_PROFILES } from './export/versions';
export type { AttachmentWithExtras, CaseWithExtras, KibanaExtras, UserActionWithExtras } from './extras';
export { type CaseImportUnit, IMPORT_MODES, type ImportMode, type ImportOptions, type ImportResult, importKibanaFile } from './import/import-file';
export { type ImportSummary, kibanaImportResponse, renderImportLog, summarizeImport } from './import/import-log';
export { DEFAULT_IMPORT_LIMITS, type ImportLimits } from './import/parse';
export type { ImportProblem, ProblemCode } from './import/problems';
export type { ProfileUids } from './users';
export { CaseTransfer, exportInputs, type ImportProgress, importIntoStore, type WrittenImport } from './case-transfer';
