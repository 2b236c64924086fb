import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** A finished run's request and the signatures of the patterns recorded for it: one example to learn from. */
export interface TrainingExample {
  workflow_id: string;
  nl_input: string | null;
  workflow_template: string | null;
  signatures: string[];
}

/** Runs read per page: memory stays flat however long the history is. */
const PAGE = 1000;

/**
 * Every finished run whose patterns are recorded, in workflow-time order, with the patterns recorded for
 * it. Runs without a workflow time come first, in id order. Read a page at a time as the caller iterates.
 */
export async function* trainingExamples(db: Kysely<Database>): AsyncGenerator<TrainingExample> {
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
    if (runs.length === 0) return;
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
    const signatures = new Map<string, string[]>();
    for (const row of occurrences)
      signatures.set(row.workflow_id, [...(signatures.get(row.workflow_id) ?? []), row.pattern_signature]);
    for (const run of runs) yield { ...run, signatures: signatures.get(run.workflow_id) ?? [] };
  }
}
