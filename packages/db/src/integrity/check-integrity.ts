import { savingsFigures } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import { listSetAsideHookEvents } from "../claude-code/hook-inbox.js";
import { readHistorySpan } from "../patterns/history-span.js";
import { recomputeStatistics } from "../patterns/recompute-statistics.js";
import { SAVINGS_COLUMNS, STATISTIC_COLUMNS } from "../patterns/statistic-columns.js";
import type { Database } from "../schema/database.js";

export interface IntegrityViolation {
  /** Machine-readable kind: `orphaned_occurrences`, `occurrence_count_mismatch`, … */
  code: string;
  message: string;
}

export interface IntegrityReport {
  patterns: number;
  occurrences: number;
  predictions: number;
  workflows: number;
  violations: IntegrityViolation[];
}

/**
 * The integrity check of §5: counts, no orphaned occurrences or predictions, statistics populated where
 * their inputs exist, every stored statistic equal to a full recompute (which covers `occurrence_count`
 * against the real count and `prediction_accuracy` against a recount), and the savings figures a reader is
 * shown equal to those of the recount.
 */
export async function checkIntegrity(db: Kysely<Database>): Promise<IntegrityReport> {
  const count = async (
    table: "operation_patterns" | "pattern_occurrences" | "pattern_predictions" | "workflow_history",
  ) =>
    Number(
      (
        await db
          .selectFrom(table)
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .executeTakeFirstOrThrow()
      ).n,
    );
  const report: IntegrityReport = {
    patterns: await count("operation_patterns"),
    occurrences: await count("pattern_occurrences"),
    predictions: await count("pattern_predictions"),
    workflows: await count("workflow_history"),
    violations: [],
  };
  const violation = (code: string, message: string) => report.violations.push({ code, message });

  const orphans = await sql<{ kind: string; n: number }>`
    select 'occurrences without pattern' as kind, count(*) as n from pattern_occurrences po left join operation_patterns op on op.id = po.pattern_id where op.id is null
    union all select 'occurrences without workflow', count(*) from pattern_occurrences po left join workflow_history wh on wh.workflow_id = po.workflow_id where wh.workflow_id is null
    union all select 'predictions without pattern', count(*) from pattern_predictions pp left join operation_patterns op on op.id = pp.pattern_id where op.id is null
    union all select 'predictions without workflow', count(*) from pattern_predictions pp left join workflow_history wh on wh.workflow_id = pp.workflow_id where wh.workflow_id is null`.execute(
    db,
  );
  for (const row of orphans.rows) if (Number(row.n) > 0) violation("orphaned_rows", `${row.n} ${row.kind}`);

  const unpopulated = await sql<{ pattern_signature: string }>`
    select op.pattern_signature from operation_patterns op
    where (op.avg_tokens_with_llm is null or op.avg_tokens_with_llm <= 0)
      and exists (select 1 from pattern_occurrences po where po.pattern_id = op.id and po.tokens_attributed > 0)
    union select op.pattern_signature from operation_patterns op
    where (op.avg_cost_with_llm is null or op.avg_cost_with_llm <= 0)
      and exists (select 1 from pattern_occurrences po where po.pattern_id = op.id and po.cost_attributed > 0)`.execute(
    db,
  );
  for (const row of unpopulated.rows)
    violation(
      "statistics_missing",
      `${row.pattern_signature}: token or cost averages are empty although its occurrences have figures`,
    );

  const expected = await recomputeStatistics(db);
  const { days } = await readHistorySpan(db);
  const stored = await db
    .selectFrom("operation_patterns")
    .select(["pattern_signature", ...STATISTIC_COLUMNS])
    .execute();
  for (const row of stored) {
    const recomputed = expected.get(row.pattern_signature);
    if (recomputed === undefined) continue;
    for (const column of STATISTIC_COLUMNS) {
      if (row[column] !== recomputed[column]) {
        violation(
          `${column}_mismatch`,
          `${row.pattern_signature}: ${column} is ${JSON.stringify(row[column])}, a recount gives ${JSON.stringify(recomputed[column])}`,
        );
      }
    }
    const shown = savingsFigures(row, days);
    const recounted = savingsFigures(recomputed, days);
    for (const column of SAVINGS_COLUMNS) {
      if (shown[column] !== recounted[column]) {
        violation(
          `${column}_mismatch`,
          `${row.pattern_signature}: ${column} is ${JSON.stringify(shown[column])}, a recount gives ${JSON.stringify(recounted[column])}`,
        );
      }
    }
  }

  for (const message of await validationTallyMismatches(db))
    violation("validation_tallies_mismatch", message);

  // Hook events that failed too often to be applied: the history lacks what they said.
  const setAside = await listSetAsideHookEvents(db, 1);
  const first = setAside.events[0];
  if (first !== undefined)
    violation(
      "hook_events_set_aside",
      `${setAside.total} hook event(s) could not be applied and were set aside in hook_inbox; the first, ${first.event_id} of session ${first.session_id}, failed ${first.attempts} times: ${first.last_error ?? "no error kept"}`,
    );
  return report;
}

/** Where `validation_tallies` differs from a recount of the validated predictions, one line per difference. */
async function validationTallyMismatches(db: Kysely<Database>): Promise<string[]> {
  type Tally = { pattern_id: number; replayed: number; day: string; validations: number; correct: number };
  const recount = await sql<Tally>`
    select pattern_id, replayed, substr(validated_at, 1, 10) as day, count(*) as validations,
      coalesce(sum(was_correct), 0) as correct
    from pattern_predictions where validated_at is not null
    group by pattern_id, replayed, substr(validated_at, 1, 10)`.execute(db);
  const kept = await db.selectFrom("validation_tallies").selectAll().execute();
  const key = (row: Tally) => `${row.pattern_id} ${row.replayed ? "replayed" : "live"} ${row.day}`;
  const figures = (row: Tally | undefined) =>
    row === undefined ? "none" : `${Number(row.validations)} validated, ${Number(row.correct)} correct`;
  const recounted = new Map(recount.rows.map((row) => [key(row), row]));
  const stored = new Map(kept.map((row) => [key(row), row]));
  const messages: string[] = [];
  for (const name of new Set([...recounted.keys(), ...stored.keys()])) {
    const a = stored.get(name);
    const b = recounted.get(name);
    if (figures(a) !== figures(b))
      messages.push(`pattern ${name}: the tally holds ${figures(a)}, a recount gives ${figures(b)}`);
  }
  return messages;
}
