import { monthlySavings } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { readHistorySpan } from "./history-span.js";

/**
 * Re-derives every pattern's `potential_monthly_savings` from its stored averages and the span of the whole
 * history (§4), which moves as runs are added: O(patterns), never a rescan of occurrences.
 */
export async function refreshMonthlySavings(db: Kysely<Database>): Promise<number> {
  const span = await readHistorySpan(db);
  const rows = await db
    .selectFrom("operation_patterns")
    .select([
      "id",
      "avg_cost_with_llm",
      "avg_cost_with_tool",
      "occurrence_count",
      "potential_monthly_savings",
    ])
    .execute();
  let changed = 0;
  await db.transaction().execute(async (trx) => {
    for (const row of rows) {
      const savings = monthlySavings(
        row.avg_cost_with_llm,
        row.avg_cost_with_tool,
        row.occurrence_count,
        span.days,
      );
      if (savings === row.potential_monthly_savings) continue;
      changed++;
      await trx
        .updateTable("operation_patterns")
        .set({ potential_monthly_savings: savings })
        .where("id", "=", row.id)
        .execute();
    }
  });
  return changed;
}
