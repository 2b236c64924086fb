import {
  addOccurrence,
  DEFAULT_STATISTICS_CONFIG,
  emptyPatternState,
  monthlySavings,
  observeRun,
  type PatternState,
  type PublishedStatistics,
  publishStatistics,
  type StatisticsConfig,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import { loadRuns } from "../runs/load-runs.js";
import type { Database } from "../schema/database.js";
import { readHistorySpan } from "./history-span.js";

export type RecomputedStatistics = PublishedStatistics & {
  potential_monthly_savings: number;
  prediction_accuracy: number | null;
};

const RUN_PAGE = 500;

/**
 * Recomputes every pattern's statistics from scratch: folds its occurrences in insertion order, with each
 * run's outcome re-read from `workflow_history`. A full scan, for the integrity check and tests; the
 * incremental path must agree with it exactly.
 */
export async function recomputeStatistics(
  db: Kysely<Database>,
  config: StatisticsConfig = DEFAULT_STATISTICS_CONFIG,
): Promise<Map<string, RecomputedStatistics>> {
  const patterns = await db.selectFrom("operation_patterns").select(["id", "pattern_signature"]).execute();
  const states = new Map<number, PatternState>(patterns.map((pattern) => [pattern.id, emptyPatternState()]));
  const occurrences = await db
    .selectFrom("pattern_occurrences")
    .select(["pattern_id", "workflow_id", "tokens_attributed", "cost_attributed"])
    .orderBy("id")
    .execute();
  const runIds = [...new Set(occurrences.map((occurrence) => occurrence.workflow_id))];
  const runs = new Map<string, Awaited<ReturnType<typeof loadRuns>>[number]>();
  for (let i = 0; i < runIds.length; i += RUN_PAGE) {
    for (const run of await loadRuns(db, runIds.slice(i, i + RUN_PAGE))) runs.set(run.workflow_id, run);
  }
  for (const occurrence of occurrences) {
    const run = runs.get(occurrence.workflow_id);
    const state = states.get(occurrence.pattern_id);
    if (run === undefined || state === undefined) continue;
    states.set(
      occurrence.pattern_id,
      addOccurrence(state, observeRun(run, occurrence.tokens_attributed, occurrence.cost_attributed)),
    );
  }
  const accuracy = await db
    .selectFrom("pattern_predictions")
    .select((eb) => [
      "pattern_id",
      eb.fn.count<number>("was_correct").as("validated"),
      eb.fn.sum<number>("was_correct").as("correct"),
    ])
    .groupBy("pattern_id")
    .execute();
  const accuracyById = new Map(
    accuracy.map((row) => [
      row.pattern_id,
      Number(row.validated) === 0 ? null : Number(row.correct) / Number(row.validated),
    ]),
  );
  const span = await readHistorySpan(db);
  const result = new Map<string, RecomputedStatistics>();
  for (const pattern of patterns) {
    const published = publishStatistics(states.get(pattern.id) ?? emptyPatternState(), config);
    result.set(pattern.pattern_signature, {
      ...published,
      potential_monthly_savings: monthlySavings(
        published.avg_cost_with_llm,
        published.avg_cost_with_tool,
        published.occurrence_count,
        span.days,
      ),
      prediction_accuracy: accuracyById.get(pattern.id) ?? null,
    });
  }
  return result;
}
