import type { Kysely } from "kysely";

/**
 * The tokens and cost of each tool call, when a transcript tells them (the turn that issued it and the part of
 * the next turn that read its result), so an occurrence can be charged what its operation cost.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  for (const column of ["input_tokens", "output_tokens", "cache_read_tokens", "cache_creation_tokens"]) {
    await db.schema.alterTable("workflow_tool_calls").addColumn(column, "bigint").execute();
  }
  await db.schema.alterTable("workflow_tool_calls").addColumn("cost_usd", "double precision").execute();
}
