import type { Kysely } from "kysely";

/**
 * The savings figures (`avg_tokens_with_tool`, `avg_cost_with_tool`, `potential_monthly_savings`) are derived
 * when read from then on: they move with the whole history's span and with the tool-cost share a user
 * assumes. The values stored before would go stale at the next run, so they are cleared; the columns stay,
 * for the ADW schema.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db
    .updateTable("operation_patterns")
    .set({ avg_tokens_with_tool: 0, avg_cost_with_tool: 0, potential_monthly_savings: 0 })
    .execute();
}
