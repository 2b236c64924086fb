import { DEFAULT_SAVINGS_MODEL, type SavingsModel } from "@patternloop/core";
import type { Kysely } from "kysely";
import { type ScriptabilityColumns, withScriptability } from "../analysis/scriptable-patterns.js";
import { withSavings } from "../patterns/pattern-savings.js";
import type { Database } from "../schema/database.js";
import type { AutomationStatus, OperationPattern } from "../schema/operation-patterns-table.js";

/** The figures a reviewer (or the automatic promotion) weighs about a pattern. */
export type PatternReviewFigures = Pick<
  OperationPattern,
  | "pattern_signature"
  | "occurrence_count"
  | "confidence_score"
  | "potential_monthly_savings"
  | "prediction_accuracy"
  | "validated_count"
>;

/** A pattern as a review list shows it: its review figures and what a script of its usual command reaches. */
export type PatternReviewRow = PatternReviewFigures &
  Pick<ScriptabilityColumns, "scriptability" | "top_command"> & {
    /** `potential_monthly_savings × scriptability`. */
    scriptable_monthly_savings: number;
  };

/**
 * The patterns that have this automation status, the largest monthly savings a script could reach first
 * (then the largest potential savings), so the list is led by operations a script can do.
 */
export async function patternsByStatus(
  db: Kysely<Database>,
  status: AutomationStatus,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<PatternReviewRow[]> {
  const rows = await db
    .selectFrom("operation_patterns")
    .select(["id", ...REVIEW_COLUMNS])
    .where("automation_status", "=", status)
    .execute();
  const scored = await withScriptability(db, await withSavings(db, rows, model));
  return scored
    .map((row) => ({
      ...reviewFigures(row),
      scriptability: row.scriptability,
      top_command: row.top_command,
      scriptable_monthly_savings: row.potential_monthly_savings * row.scriptability,
    }))
    .sort(
      (a, b) =>
        b.scriptable_monthly_savings - a.scriptable_monthly_savings ||
        b.potential_monthly_savings - a.potential_monthly_savings ||
        (a.pattern_signature < b.pattern_signature ? -1 : 1),
    );
}

/** The stored columns the review figures come from. */
export const REVIEW_COLUMNS = [
  "pattern_signature",
  "occurrence_count",
  "confidence_score",
  "avg_tokens_with_llm",
  "avg_cost_with_llm",
  "prediction_accuracy",
  "validated_count",
] as const;

/** The review figures of a pattern whose savings were derived. */
export function reviewFigures(row: PatternReviewFigures): PatternReviewFigures {
  return {
    pattern_signature: row.pattern_signature,
    occurrence_count: row.occurrence_count,
    confidence_score: row.confidence_score,
    potential_monthly_savings: row.potential_monthly_savings,
    prediction_accuracy: row.prediction_accuracy,
    validated_count: row.validated_count,
  };
}
