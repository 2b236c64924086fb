export {
  highValuePatterns,
  PATTERN_COLUMNS,
  type PatternRow,
  type PatternsSummary,
  recentPatterns,
  summarizePatterns,
  topPatterns,
} from "./analysis/analysis-queries.js";
export { type PatternCommands, patternCommands } from "./analysis/pattern-commands.js";
export { type PatternDetails, patternDetails } from "./analysis/pattern-details.js";
export { scriptabilityOfPatterns } from "./analysis/pattern-scriptability.js";
export { type PatternRealizedSavings, realizedSavings } from "./analysis/realized-savings.js";
export { type SavingsAssumptions, savingsAssumptions } from "./analysis/savings-assumptions.js";
export {
  type ScriptabilityColumns,
  type ScriptableValueRow,
  scriptableHighValuePatterns,
  withScriptability,
} from "./analysis/scriptable-patterns.js";
export { implementedScripts, recordToolScript, runsCallingScript } from "./automation/tool-script-path.js";
export {
  type BackfillError,
  type BackfilledRun,
  type BackfillOptions,
  type BackfillSummary,
  backfillPatterns,
  type FoundPattern,
} from "./backfill/backfill-patterns.js";
export {
  lockSession,
  openRunOfSession,
  pointSession,
} from "./claude-code/claude-code-sessions.js";
export { type HookDelivery, isHookDelivered, recordHookDelivery } from "./claude-code/hook-deliveries.js";
export {
  claimHookEvent,
  countKeptPayloads,
  countPendingHookEvents,
  type HookEvent,
  isHookDeliveryKeyKept,
  keepHookEvent,
  listSetAsideHookEvents,
  markHookEventProcessed,
  type NewHookEvent,
  recordHookEventFailure,
  releaseHookEvent,
  requeueSetAsideHookEvents,
  type SetAsideHookEvent,
} from "./claude-code/hook-inbox.js";
export {
  idleSessions,
  type OpenSession,
  openSessions,
  releaseSessionRun,
  touchSession,
} from "./claude-code/idle-sessions.js";
export { interruptedRuns } from "./claude-code/interrupted-runs.js";
export { type CreateDatabaseOptions, createDatabase, type PatternloopDatabase } from "./create-database.js";
export { type DailyRuns, dailyRuns } from "./dashboard/daily-runs.js";
export { type HistoryTotals, historyTotals } from "./dashboard/history-totals.js";
export { historyVersion } from "./dashboard/history-version.js";
export {
  filterPatterns,
  type ListedPattern,
  type OriginAccuracy,
  type PatternFilter,
  patternFilterChoices,
} from "./dashboard/pattern-list.js";
export {
  type DailyOccurrences,
  type DailyPatternAccuracy,
  patternAccuracyByDay,
  patternOccurrencesByDay,
} from "./dashboard/pattern-timeline.js";
export { type DatabaseLocation, parseDatabaseUrl, redactUrl } from "./database-url.js";
export { hasRoomToWrite } from "./health/has-room-to-write.js";
export { type ProbeLimit, probeWrite, type WriteProbe } from "./health/probe-write.js";
export { type IngestMark, markIngested, readIngestSources } from "./ingest/ingest-sources.js";
export { runsOfPrompts } from "./ingest/runs-of-prompts.js";
export {
  type IngestedRuns,
  type StoreIngestedRunsResult,
  storeIngestedRuns,
} from "./ingest/store-ingested-runs.js";
export {
  checkIntegrity,
  type IntegrityReport,
  type IntegrityViolation,
} from "./integrity/check-integrity.js";
export { type PatternStatus, patternStatus } from "./lifecycle/pattern-status.js";
export { patternStatusHistory, type StatusHistoryEntry } from "./lifecycle/pattern-status-history.js";
export {
  type PatternReviewFigures,
  type PatternReviewRow,
  patternsByStatus,
} from "./lifecycle/patterns-by-status.js";
export { type CandidateThresholds, promotablePatterns } from "./lifecycle/promotable-patterns.js";
export { recordStatusChange, type StatusChangeRecord } from "./lifecycle/record-status-change.js";
export { migrationProvider } from "./migrations/migration-provider.js";
export type { DatabaseEngine } from "./opened-database.js";
export {
  isStorageFailure,
  PatternloopDbError,
  type PatternloopDbErrorCode,
} from "./patternloop-db-error.js";
export { countPatterns } from "./patterns/count-patterns.js";
export { forgetRunPatterns } from "./patterns/forget-run-patterns.js";
export { readHistorySpan } from "./patterns/history-span.js";
export { withSavings } from "./patterns/pattern-savings.js";
export { recomputeStatistics } from "./patterns/recompute-statistics.js";
export { ensurePatterns, type RunWithOccurrences, recordOccurrences } from "./patterns/record-occurrences.js";
export {
  accuracyByType,
  accuracyHistory,
  type DailyValidation,
  errorRates,
  type PredictionTally,
  patternMetrics,
  predictionsOfWorkflow,
  type ReliableOptions,
  reliablePatterns,
  type ValidationSummary,
  validationCoverage,
  validationSummary,
  validationTrend,
} from "./predictions/prediction-queries.js";
export { refreshPredictionStatistics } from "./predictions/prediction-statistics.js";
export { type PredictionInput, recordPredictions } from "./predictions/record-predictions.js";
export {
  type ReplayableRun,
  type ReplayableRunTimes,
  replayableRunsByIds,
  replayableRunTimes,
} from "./predictions/replayable-runs.js";
export { type ReplayedRun, storeReplayedPredictions } from "./predictions/store-replayed-predictions.js";
export { type TrainingExample, trainingExamples } from "./predictions/training-examples.js";
export {
  type ActualPatterns,
  type StoredValidation,
  type StoredValidations,
  validateStoredPredictions,
  validateStoredPredictionsOfRuns,
} from "./predictions/validate-predictions.js";
export { finishedRuns } from "./runs/finished-runs.js";
export { insertRunBatch, insertRunValuesBatch } from "./runs/insert-run-batch.js";
export {
  type AppendToolCallsOptions,
  appendToolCalls,
  type InsertRunsResult,
  insertRuns,
  type RunFigures,
  type RunToolCalls,
  type RunValues,
  runFigures,
  runValuesOf,
} from "./runs/insert-runs.js";
export { insertStartedRun, type StartedRun } from "./runs/insert-started-run.js";
export { loadInBulk } from "./runs/load-in-bulk.js";
export { loadRuns, loadRunsByRowIds, type StoredRun } from "./runs/load-runs.js";
export { lockRuns } from "./runs/lock-runs.js";
export { readRunStatuses } from "./runs/read-run-statuses.js";
export { type RunEnd, type RunEndOf, recordRunEnd, recordRunEnds } from "./runs/record-run-end.js";
export { type UpsertRunsResult, upsertRuns } from "./runs/upsert-runs.js";
export type { ClaudeCodeSession } from "./schema/claude-code-sessions-table.js";
export type { Database } from "./schema/database.js";
export type { IngestSource } from "./schema/ingest-sources-table.js";
export {
  AUTOMATION_STATUSES,
  type AutomationStatus,
  type OperationPattern,
} from "./schema/operation-patterns-table.js";
export {
  OCCURRENCE_ATTRIBUTIONS,
  type OccurrenceAttribution,
  type PatternOccurrence,
} from "./schema/pattern-occurrences-table.js";
export type { PatternPrediction } from "./schema/pattern-predictions-table.js";
export type { PatternStatusHistory } from "./schema/pattern-status-history-table.js";
export {
  WORKFLOW_STATUSES,
  type WorkflowHistory,
  type WorkflowStatus,
} from "./schema/workflow-history-table.js";
export type { WorkflowToolCall } from "./schema/workflow-tool-calls-table.js";
export type { SchemaUpgrade } from "./schema-upgrade.js";
export {
  DEMO_APPLICATION_ID,
  type DemoTarget,
  inspectDemoTarget,
  markDemoDatabase,
  removeSqliteFile,
  replaceSqliteFile,
} from "./sqlite/demo-database.js";
export type { LockWait } from "./sqlite/wait-for-lock.js";
export type { WalCheckpointerOptions } from "./sqlite/wal-checkpointer.js";
export { type FoldedTallies, foldPatternTallies } from "./tallies/fold-pattern-tallies.js";
export { type SavepointResult, withSavepoint } from "./transactions/with-savepoint.js";
