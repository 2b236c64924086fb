import { describe, expect, it } from "vitest";
import { backfilledHistory, HISTORY_OCCURRENCES, HISTORY_PATTERNS } from "./support/history.js";
import { withSqlite } from "./support/sqlite.js";

/** The SQL examples of the original design, exactly as written there. */
const DESIGN_SQL = {
  patterns: "SELECT COUNT(*) FROM operation_patterns",
  occurrences: "SELECT COUNT(*) FROM pattern_occurrences",
  orphans:
    "SELECT COUNT(*) FROM pattern_occurrences po LEFT JOIN operation_patterns op ON po.pattern_id = op.id WHERE op.id IS NULL",
  populated:
    "SELECT COUNT(*) FROM operation_patterns WHERE avg_tokens_with_llm > 0 AND avg_cost_with_llm > 0",
};

describe("the original design's SQL on a backfilled SQLite file", { timeout: 60_000 }, () => {
  it("runs unchanged, read-only, and gives sensible answers", () => {
    const { path } = backfilledHistory();
    const answers = withSqlite(
      path,
      (database) =>
        Object.fromEntries(
          Object.entries(DESIGN_SQL).map(([name, sql]) => [name, database.prepare(sql).get()?.["COUNT(*)"]]),
        ),
      { readonly: true },
    );
    expect(answers).toEqual({
      patterns: Object.keys(HISTORY_PATTERNS).length,
      occurrences: HISTORY_OCCURRENCES,
      orphans: 0,
      populated: Object.keys(HISTORY_PATTERNS).length,
    });
  });

  it("per pattern, occurrence_count is the number of runs it occurred in", () => {
    const { path } = backfilledHistory();
    const rows = withSqlite(
      path,
      (database) =>
        database
          .prepare(
            `SELECT op.pattern_signature, op.occurrence_count, COUNT(DISTINCT po.workflow_id) AS runs
             FROM operation_patterns op LEFT JOIN pattern_occurrences po ON po.pattern_id = op.id
             GROUP BY op.id ORDER BY op.occurrence_count DESC`,
          )
          .all(),
      { readonly: true },
    );
    expect(rows).toEqual(
      Object.entries(HISTORY_PATTERNS).map(([signature, runs]) => ({
        pattern_signature: signature,
        occurrence_count: runs,
        runs,
      })),
    );
  });

  it("the tokens and cost attributed to a run's patterns never exceed what the run cost", () => {
    const { path } = backfilledHistory();
    const rows = withSqlite(
      path,
      (database) =>
        database
          .prepare(
            `SELECT wh.workflow_id, wh.total_tokens, wh.actual_cost_total,
                    SUM(po.tokens_attributed) AS tokens, SUM(po.cost_attributed) AS cost
             FROM workflow_history wh JOIN pattern_occurrences po ON po.workflow_id = wh.workflow_id
             GROUP BY wh.workflow_id`,
          )
          .all(),
      { readonly: true },
    );
    expect(rows.length).toBeGreaterThan(0);
    for (const row of rows) {
      expect(row.tokens as number, String(row.workflow_id)).toBeLessThanOrEqual(
        (row.total_tokens as number) + 1e-6,
      );
      expect(row.cost as number, String(row.workflow_id)).toBeLessThanOrEqual(
        (row.actual_cost_total as number) + 1e-9,
      );
    }
  });
});
