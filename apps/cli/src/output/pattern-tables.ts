import type { PatternRow, ScriptabilityColumns, ScriptableValueRow } from "@patternloop/db";
import { count, day, percent, usd } from "./format.js";
import { type Column, renderTable } from "./table.js";

const SIGNATURE: Column<PatternRow> = { header: "pattern", value: (row) => row.pattern_signature };
const OCCURRENCES: Column<PatternRow> = {
  header: "runs",
  value: (row) => count(row.occurrence_count),
  align: "right",
};
const CONFIDENCE: Column<PatternRow> = {
  header: "confidence",
  value: (row) => row.confidence_score.toFixed(1),
  align: "right",
};
const LLM_COST: Column<PatternRow> = {
  header: "LLM cost/use",
  value: (row) => usd(row.avg_cost_with_llm),
  align: "right",
};
const SAVINGS: Column<PatternRow> = {
  header: "savings/month",
  value: (row) => usd(row.potential_monthly_savings),
  align: "right",
};
const STATUS: Column<PatternRow> = { header: "status", value: (row) => row.automation_status };
/** Share of runs a script of the most common command covers, less those that need the agent's words. */
const SCRIPTABLE: Column<ScriptabilityColumns> = {
  header: "scriptable",
  value: (row) => percent(row.scriptability),
  align: "right",
};
const FREE_TEXT: Column<ScriptabilityColumns> = {
  header: "free text",
  value: (row) => percent(row.free_text_share),
  align: "right",
};

/**
 * The pattern list of `analyze top` and of the backfill's closing top 10; with the scriptability columns when
 * the rows carry them.
 */
export function renderTopPatterns(rows: readonly (PatternRow & Partial<ScriptabilityColumns>)[]): string {
  const scriptable = rows.some((row) => row.scriptability !== undefined);
  return renderTable(
    [
      SIGNATURE,
      OCCURRENCES,
      CONFIDENCE,
      { header: "avg tokens", value: (row) => count(row.avg_tokens_with_llm), align: "right" },
      LLM_COST,
      SAVINGS,
      ...(scriptable ? [SCRIPTABLE, FREE_TEXT] : []),
      STATUS,
    ] as Column<PatternRow & Partial<ScriptabilityColumns>>[],
    rows,
  );
}

/** The high-value list, ranked by the savings a script could reach. */
export function renderHighValuePatterns(rows: readonly ScriptableValueRow[]): string {
  return renderTable(
    [
      SIGNATURE,
      {
        header: "scriptable savings/month",
        value: (row: ScriptableValueRow) => usd(row.scriptable_monthly_savings),
        align: "right",
      },
      SAVINGS,
      { header: "saving/use", value: (row) => usd(row.savings_per_use), align: "right" },
      OCCURRENCES,
      LLM_COST,
      SCRIPTABLE,
      FREE_TEXT,
      CONFIDENCE,
    ],
    rows,
  );
}

export function renderRecentPatterns(rows: readonly PatternRow[]): string {
  return renderTable(
    [
      SIGNATURE,
      { header: "first seen", value: (row) => day(row.first_seen) },
      { header: "last seen", value: (row) => day(row.last_seen) },
      OCCURRENCES,
      { header: "accuracy", value: (row) => percent(row.prediction_accuracy), align: "right" },
    ],
    rows,
  );
}
