export { type CappedLog, type CappedLogOptions, createCappedLog } from "./capped-log.js";
export {
  addToCharacteristicsSummary,
  type CharacteristicsSummary,
  type Complexity,
  complexityOf,
  type DurationBand,
  describeCharacteristicsSummary,
  durationBand,
  emptyCharacteristicsSummary,
  extractCharacteristics,
  type WorkflowCharacteristics,
} from "./characteristics.js";
export {
  type ClaudeCodeHook,
  claudeCodeHookSchema,
  findUnstorableHookText,
  MAX_HOOK_DEPTH,
  slashCommandOf,
  stopFailureOf,
  toolCallOfHook,
} from "./claude-code-hook.js";
export { SESSION_QUIET_MS } from "./claude-code-transcript/live-run.js";
export { addMessageOwners, holdsCopies } from "./claude-code-transcript/message-owners.js";
export { parseClaudeCodeTranscript } from "./claude-code-transcript/parse-transcript.js";
export type {
  ClaudeCodeTranscript,
  MessageOwner,
  MessageOwners,
  ParseTranscriptOptions,
  TranscriptRun,
  TranscriptUsage,
} from "./claude-code-transcript/transcript-result.js";
export { transcriptSessionId } from "./claude-code-transcript/transcript-session-id.js";
export {
  addToAggregates,
  type ConfidenceTier,
  confidenceScore,
  confidenceTier,
  emptyAggregates,
  type PatternAggregates,
  type PatternObservation,
} from "./confidence.js";
export { type CostBreakdown, type CostResult, costOf, type TokenUsage } from "./cost.js";
export {
  type Attribution,
  type CostAttributionOptions,
  chargePatterns,
  describeAttribution,
  type PatternCost,
  TOOL_CALL_SHARE_FACTOR,
} from "./cost-attribution.js";
export { matchCommand } from "./detection/command-rules.js";
export {
  createDetector,
  type Detector,
  type DetectorOptions,
  detectPatterns,
} from "./detection/detect-patterns.js";
export {
  type DetectedPattern,
  EVIDENCE_SOURCES,
  type Evidence,
  type EvidenceSource,
} from "./detection/detected-pattern.js";
export type { OperationMatch } from "./detection/operation.js";
export {
  createTargetResolver,
  DEFAULT_TARGET_CONFIG,
  type TargetConfig,
  type TargetPathRule,
  type TargetResolver,
} from "./detection/targets.js";
export { PatternloopCoreError } from "./errors.js";
export { count, day, percent, usd } from "./figure-text.js";
export { escapeLogText } from "./log-text.js";
export {
  type ClassificationCounts,
  type ClassificationMetrics,
  classificationMetrics,
  compareSets,
  type MacroAverage,
  macroAverage,
  microAverage,
  type SetComparison,
  type WilsonInterval,
  wilsonInterval,
} from "./metrics.js";
export {
  addOccurrence,
  addOccurrences,
  emptyPatternState,
  historySpanDays,
  monthlySavings,
  type OccurrenceObservation,
  type PatternState,
  type PublishedStatistics,
  publishStatistics,
} from "./pattern-statistics.js";
export {
  LONG_CONTEXT_THRESHOLD_TOKENS,
  type ModelPrices,
  PRICE_TABLE_VERSION,
  type ResolvedModelPrice,
  resolveModelPrice,
  type TokenPrices,
} from "./pricing.js";
export {
  type BootstrapOptions,
  bootstrapMeanDifference,
  DEFAULT_LEVEL,
  DEFAULT_RESAMPLES,
  type Interval,
  type MeanDifference,
  percentileInterval,
  type RunCosts,
} from "./realized/bootstrap.js";
export {
  assessRealizedSavings,
  invokesScript,
  MIN_RUNS,
  MIN_USES,
  type OccurrenceCost,
  type PeriodFigures,
  type PeriodRuns,
  type RealizedSavings,
  type RealizedVerdict,
} from "./realized/realized-savings.js";
export { seededRandom } from "./realized/seeded-random.js";
export {
  type DetectedOccurrence,
  observeRun,
  occurrencesOfRun,
  type RunRecord,
  workflowTimeOf,
} from "./run-occurrences.js";
export { projectOfRecord } from "./run-project.js";
export {
  DEFAULT_SAVINGS_MODEL,
  parseToolCostShare,
  type SavingsBasis,
  type SavingsFigures,
  type SavingsModel,
  savingsFigures,
} from "./savings-model.js";
export {
  addCommandsToTally,
  addToCommandTally,
  type CommandTally,
  emptyCommandTally,
  parseCommandTally,
  type ShapeTally,
  stringifyCommandTally,
  summarizeCommands,
  summarizeCommandTally,
} from "./scriptability/command-tally.js";
export {
  type CommandSummary,
  type CommandUse,
  commandsOfEvidence,
  type EvidenceCommand,
  type OccurrenceEvidence,
  type Scriptability,
  type Tally,
  UNKNOWN_PROJECT,
} from "./scriptability/command-uses.js";
export {
  type NeighbourEvidence,
  patternsRunTogether,
  type RunTogether,
  rankRunTogether,
  toolCallsOfCommands,
  toolCallsOfEvidence,
} from "./scriptability/run-together.js";
export { type CommandShape, SHAPE_PLACEHOLDERS, shapeOfCommand } from "./shell/command-shape.js";
export { readShellCommands, type SimpleCommand } from "./shell/read-commands.js";
export { type ShellSegment, tokenizeShell } from "./shell/tokenize-shell.js";
export {
  CATEGORIES,
  type Category,
  formatSignature,
  isValidSignature,
  normalizeSignature,
  parseSignature,
  type Signature,
  type SignatureParts,
  TARGETS,
  type Target,
} from "./signature.js";
export {
  findUnstorableText,
  mayHoldUnstorableText,
  type TextIssue,
  unstorableTextIn,
} from "./unstorable-text.js";
export { toUtcIso } from "./utc-time.js";
export { splitWords } from "./words.js";
export {
  bashCommandOf,
  type IdentifiedWorkflowRecord,
  MAX_INPUT_DEPTH,
  type ParseRecordOptions,
  type ParseRecordResult,
  parseWorkflowRecord,
  type RecordIssue,
  storableText,
  type ToolCall,
  type ToolCallUsage,
  toolCallSchema,
  toolCallUsageSchema,
  WORKFLOW_STATUSES,
  type WorkflowRecord,
  type WorkflowStatus,
  withinDepth,
  workflowRecordSchema,
} from "./workflow-record.js";
