import type { SavingsModel } from "@patternloop/core";
import type { PatternloopDatabase } from "@patternloop/db";
import {
  type CandidateThresholds,
  DEFAULT_CANDIDATE_THRESHOLDS,
  type Predictor,
} from "@patternloop/validator";
import type { ClientAbortLog } from "./client-abort-log.js";
import type { HookWorker } from "./hook-worker.js";

/**
 * Who may write: callers sending `token` as a bearer token, or, chosen explicitly, anyone who can reach the app
 * (`localOnly: true`, for an app served on loopback only). An app with neither is refused.
 */
export type AppAccess = { token: string; localOnly?: false } | { localOnly: true; token?: undefined };

/** What the app needs, handed in by whoever starts it (tests use a real database file or server). */
export type AppDeps = AppServices & AppAccess;

export interface AppServices {
  database: PatternloopDatabase;
  /** Learns from every completed run; predicts at run start (`trainPredictor(database.db)` learns the history). */
  predictor: Predictor;
  /** Largest accepted request body in bytes; default 1 MiB. */
  bodyLimit?: number;
  /** What the savings figures served, and weighed for promotion, assume; the default model otherwise. */
  savings?: SavingsModel;
  candidateThresholds?: CandidateThresholds;
  /** Where log lines go; `console.log` by default. */
  log?: (line: string) => void;
  /** Where requests whose client hung up mid-body are summed up; by default, a log of the app's own on stderr. */
  clientAborts?: ClientAbortLog;
  /**
   * Applies the hook events the receiver keeps, after it has answered; woken by each one kept. Whoever
   * builds the app starts it (see `startHookWorker`) and stops it before closing the database.
   */
  hooks: Pick<HookWorker, "wake">;
}

/** The promotion thresholds, weighing monthly savings under the app's savings model. */
export function promotionThresholds(
  deps: Pick<AppDeps, "savings" | "candidateThresholds">,
): CandidateThresholds | undefined {
  if (deps.savings === undefined) return deps.candidateThresholds;
  return { ...(deps.candidateThresholds ?? DEFAULT_CANDIDATE_THRESHOLDS), savingsModel: deps.savings };
}
