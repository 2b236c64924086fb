import {
  assessRealizedSavings,
  type BootstrapOptions,
  invokesScript,
  type OccurrenceCost,
  type RealizedSavings,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import { commandNames } from "../automation/tool-script-path.js";
import type { Database } from "../schema/database.js";
import type { AutomationStatus } from "../schema/operation-patterns-table.js";

/** The realized savings of one implemented or active pattern. */
export interface PatternRealizedSavings extends RealizedSavings {
  pattern_signature: string;
  automation_status: AutomationStatus;
  tool_script_path: string | null;
  /** When the pattern last became `implemented`; runs from then on are "after". */
  activated_at: string;
}

/**
 * For each `implemented` or `active` pattern, compares the runs whose patterns were recorded after its
 * activation (the last time it became `implemented`) with those before: the stored occurrences give the
 * raw-command runs and the cost attributed to the operation, the stored Bash calls naming
 * `tool_script_path` give the script's runs (see `assessRealizedSavings` in core for the figures and the
 * verdict). Most implemented first.
 */
export async function realizedSavings(
  db: Kysely<Database>,
  options: BootstrapOptions = {},
): Promise<PatternRealizedSavings[]> {
  const patterns = await db
    .selectFrom("operation_patterns as op")
    .innerJoin("pattern_status_history as h", "h.pattern_id", "op.id")
    .select(["op.id", "op.pattern_signature", "op.automation_status", "op.tool_script_path"])
    .select((eb) => eb.fn.max("h.changed_at").as("activated_at"))
    .where("op.automation_status", "in", ["implemented", "active"])
    .where("h.to_status", "=", "implemented")
    .groupBy(["op.id", "op.pattern_signature", "op.automation_status", "op.tool_script_path"])
    .orderBy("activated_at", "desc")
    .orderBy("op.pattern_signature")
    .execute();
  const results: PatternRealizedSavings[] = [];
  for (const pattern of patterns) {
    const at = pattern.activated_at;
    const [beforeRuns, afterRuns] = await Promise.all([countRuns(db, "<", at), countRuns(db, ">=", at)]);
    const occurrences = await db
      .selectFrom("pattern_occurrences")
      .select(["workflow_id", "workflow_time", "cost_attributed as cost", "evidence"])
      .where("pattern_id", "=", pattern.id)
      .orderBy("id")
      .execute();
    const isAfter = (time: string | null) => time !== null && time >= at;
    const pick = (after: boolean): OccurrenceCost[] =>
      occurrences
        .filter(
          (occurrence) => occurrence.workflow_time !== null && isAfter(occurrence.workflow_time) === after,
        )
        .map(({ workflow_id, cost, evidence }) => ({ workflow_id, cost, evidence }));
    const scriptRuns =
      pattern.tool_script_path === null ? [] : await runsInvokingScript(db, pattern.tool_script_path, at);
    const assessed = assessRealizedSavings(
      pattern.tool_script_path,
      { runs: beforeRuns, occurrences: pick(false), script_runs: [] },
      { runs: afterRuns, occurrences: pick(true), script_runs: scriptRuns },
      options,
    );
    results.push({
      pattern_signature: pattern.pattern_signature,
      automation_status: pattern.automation_status,
      tool_script_path: pattern.tool_script_path,
      activated_at: at,
      ...assessed,
    });
  }
  return results;
}

/** Runs whose patterns were recorded, before or from a time. */
async function countRuns(db: Kysely<Database>, side: "<" | ">=", at: string): Promise<number> {
  const row = await db
    .selectFrom("workflow_history")
    .select((eb) => eb.fn.countAll<number | string>().as("runs"))
    .where("patterns_processed_at", "is not", null)
    .where("workflow_time", side, at)
    .executeTakeFirstOrThrow();
  return Number(row.runs);
}

/**
 * The runs from `at` on with a Bash call naming the script. LIKE narrows the calls (it ignores case on
 * SQLite), the exact test is `invokesScript`.
 */
async function runsInvokingScript(db: Kysely<Database>, scriptPath: string, at: string): Promise<string[]> {
  const calls = await db
    .selectFrom("workflow_tool_calls as c")
    .innerJoin("workflow_history as wh", "wh.workflow_id", "c.workflow_id")
    .select(["c.workflow_id", "c.command"])
    .where("c.tool_name", "=", "Bash")
    .where("wh.workflow_time", ">=", at)
    .where("wh.patterns_processed_at", "is not", null)
    .where(commandNames("c.command", scriptPath))
    .execute();
  const runs = new Set<string>();
  for (const call of calls)
    if (call.command !== null && invokesScript(call.command, scriptPath)) runs.add(call.workflow_id);
  return [...runs];
}
