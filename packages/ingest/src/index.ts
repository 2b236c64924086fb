export {
  defaultTranscriptDirs,
  findTranscripts,
  transcriptDirs,
} from "./claude-code/find-transcripts.js";
export {
  type IngestClaudeCodeOptions,
  ingestClaudeCode,
  TRANSCRIPT_KIND,
} from "./claude-code/ingest-claude-code.js";
export type { IngestClaudeCodeSummary, IngestedSession } from "./claude-code/ingest-claude-code-summary.js";
export type { RunTotals } from "./claude-code/run-totals.js";
export {
  type IngestHookLogOptions,
  type IngestHooksSummary,
  ingestHookLog,
} from "./hooks/ingest-hook-log.js";
export { type HookLog, type LoggedHook, type LoggedSession, readHookLog } from "./hooks/read-hook-log.js";
export { type IngestErrorCode, PatternloopIngestError } from "./ingest-error.js";
export { assertTextFile, type NumberedLine, readLines } from "./lines/read-lines.js";
export {
  type IngestWorkflowsOptions,
  type IngestWorkflowsSummary,
  ingestWorkflows,
} from "./workflows/ingest-workflows.js";
export { type OtherFormat, recogniseOtherFormat } from "./workflows/other-format.js";
export { type RecordLine, readWorkflowRecords } from "./workflows/read-workflow-records.js";
