import type { PatternloopDatabase } from "@patternloop/db";
import { createPredictor, type Predictor, type PredictorOptions } from "./learned-predictor.js";

const PAGE = 1000;

/**
 * A predictor trained on the stored history: every run whose patterns are recorded, in workflow-time order,
 * with the patterns recorded for it. Runs without a workflow time come first, in id order.
 */
export async function trainPredictor(
  db: PatternloopDatabase["db"],
  options: PredictorOptions = {},
): Promise<Predictor> {
  const predictor = createPredictor(options);
  let offset = 0;
  for (;;) {
    const runs = await db
      .selectFrom("workflow_history")
      .select(["workflow_id", "nl_input", "workflow_template"])
      .where("status", "in", ["completed", "failed"])
      .where("patterns_processed_at", "is not", null)
      .orderBy("workflow_time", (ob) => ob.asc().nullsFirst())
      .orderBy("id")
      .limit(PAGE)
      .offset(offset)
      .execute();
    if (runs.length === 0) return predictor;
    offset += runs.length;
    const occurrences = await db
      .selectFrom("pattern_occurrences as po")
      .innerJoin("operation_patterns as op", "op.id", "po.pattern_id")
      .select(["po.workflow_id", "op.pattern_signature"])
      .where(
        "po.workflow_id",
        "in",
        runs.map((run) => run.workflow_id),
      )
      .execute();
    const actual = new Map<string, string[]>();
    for (const row of occurrences)
      actual.set(row.workflow_id, [...(actual.get(row.workflow_id) ?? []), row.pattern_signature]);
    for (const run of runs) predictor.learn(run, actual.get(run.workflow_id) ?? []);
  }
}
