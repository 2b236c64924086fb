import { DEFAULT_SAVINGS_MODEL, type SavingsModel, TOOL_CALL_SHARE_FACTOR } from "@patternloop/core";
import type { Kysely } from "kysely";
import { readHistorySpan } from "../patterns/history-span.js";
import type { Database } from "../schema/database.js";

/** What the savings figures shown beside it assume, so that a reader can judge them. */
export interface SavingsAssumptions {
  /** A deterministic tool is assumed to cost this share of the LLM cost. */
  tool_cost_share: number;
  /** The history the monthly figures are scaled from (earliest to latest workflow time), in days. */
  history_days: number;
  /**
   * How the LLM cost per use was attributed, in occurrences: `tool_calls` (the turns of the operation's own
   * tool calls, from transcripts), `share` (a share of the run's totals) and `none` (no cost evidence).
   */
  cost_attribution: { tool_calls: number; share: number; none: number };
  /** What a pattern's share of its run's tool calls is scaled by (`TOOL_CALL_SHARE_FACTOR`, calibrated on transcripts). */
  run_share_factor: number;
}

/**
 * The assumptions behind the savings figures of a database under this savings model: of one pattern when
 * `patternId` is given, else of all.
 */
export async function savingsAssumptions(
  db: Kysely<Database>,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
  patternId?: number,
): Promise<SavingsAssumptions> {
  let query = db
    .selectFrom("pattern_occurrences")
    .select((eb) => ["attribution", eb.fn.countAll<number>().as("n")])
    .groupBy("attribution");
  if (patternId !== undefined) query = query.where("pattern_id", "=", patternId);
  const rows = await query.execute();
  const attribution = { tool_calls: 0, share: 0, none: 0 };
  for (const row of rows) {
    const kind = row.attribution === "tool_calls" || row.attribution === "share" ? row.attribution : "none";
    attribution[kind] += Number(row.n);
  }
  return {
    tool_cost_share: model.toolCostShare,
    history_days: (await readHistorySpan(db)).days,
    cost_attribution: attribution,
    run_share_factor: TOOL_CALL_SHARE_FACTOR,
  };
}
