export { activateUsedScripts } from "./automation/activate-used-scripts.js";
export {
  type AutomateOptions,
  type AutomateResult,
  automatePattern,
  type FileAction,
  type PlannedFile,
} from "./automation/automate-pattern.js";
export { type MergedSettings, mergeSteeringHook, type SteeringHook } from "./automation/merge-settings.js";
export { chooseScriptCommand, type ScriptCommand } from "./automation/script-command.js";
export { type AutomationFile, renderSkillFiles, skillNameOf, skillPaths } from "./automation/skill-files.js";
export {
  type AveragedMetrics,
  type BacktestOptions,
  type BacktestResult,
  type BacktestRun,
  backtest,
  type PatternBacktest,
} from "./backtest/backtest.js";
export {
  type ReplayOptions,
  type ReplaySummary,
  replayPredictions,
} from "./backtest/replay-predictions.js";
export {
  type AcceptedHook,
  type AcceptHookOptions,
  acceptClaudeCodeHook,
} from "./claude-code/accept-hook-event.js";
export {
  type CloseIdleOptions,
  closeIdleSessions,
  closeSessionRuns,
  type IdleClosure,
  type IdleClosures,
} from "./claude-code/close-idle-sessions.js";
export { hookEventIdsOf } from "./claude-code/hook-event-id.js";
export {
  DEFAULT_HOOK_HOLD_MS,
  DEFAULT_HOOK_MAX_ATTEMPTS,
  type ProcessHookOptions,
  processHookEvents,
} from "./claude-code/process-hook-events.js";
export {
  type HookOutcome,
  type ReceiveHookOptions,
  receiveClaudeCodeHook,
} from "./claude-code/receive-hook.js";
export {
  type InitClaudeCodeOptions,
  type InitClaudeCodeResult,
  initClaudeCode,
  type SettingsAction,
} from "./claude-code-settings/init-claude-code.js";
export {
  DEFAULT_HOOK_URL,
  type HookKind,
  PATTERNLOOP_EVENTS,
} from "./claude-code-settings/patternloop-hooks.js";
export {
  changeStatus,
  type StatusChange,
  type StatusChangeResult,
  statusHistory,
} from "./lifecycle/automation-status.js";
export {
  type ParsedThresholds,
  parseThresholds,
  THRESHOLD_NAMES,
  type ThresholdMiss,
  type ThresholdSettings,
  thresholdMisses,
  thresholdProblem,
} from "./lifecycle/candidate-thresholds.js";
export {
  detectedWithMisses,
  nearestToPromotion,
  type PatternMisses,
} from "./lifecycle/nearest-to-promotion.js";
export {
  type CandidateThresholds,
  DEFAULT_CANDIDATE_THRESHOLDS,
  promoteCandidates,
} from "./lifecycle/promote-candidates.js";
export { completeRuns } from "./loop/complete-runs.js";
export {
  type CompletionQueue,
  type CompletionQueueOptions,
  createCompletionQueue,
  DEFAULT_MAX_BATCH,
} from "./loop/completion-queue.js";
export type {
  CompleteRunsOptions,
  CompletionOutcome,
  CompletionRequest,
  CompletionResult,
  RunCompletion,
} from "./loop/completion-types.js";
export {
  FOLLOW_INTERVAL_MS,
  type FollowOptions,
  type FollowSummary,
  followHistory,
} from "./loop/follow-history.js";
export { type RunStart, type RunStartResult, startRun } from "./loop/start-run.js";
export {
  createPredictor,
  type Prediction,
  type Predictor,
  type PredictorOptions,
} from "./predictor/learned-predictor.js";
export { type Feature, type PredictionRequest, requestFeatures } from "./predictor/request-features.js";
export { trainPredictor } from "./predictor/train-predictor.js";
export { compareRun, formatValidationLog, type RunValidation } from "./run-validation.js";
export { PatternloopValidatorError, type ValidatorErrorCode } from "./validator-error.js";
