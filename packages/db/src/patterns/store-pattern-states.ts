import { type PatternState, publishStatistics } from "@patternloop/core";
import { CompiledQuery, type Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";
import { stateColumns } from "./pattern-state-row.js";

/** The PostgreSQL type of each column a stored state sets, for the arrays the one update binds. */
const STATE_TYPES: Readonly<Record<string, string>> = {
  occurrence_count: "integer",
  success_count: "integer",
  error_count: "integer",
  retry_sum: "integer",
  duration_n: "integer",
  duration_sum: "double precision",
  duration_sq_sum: "double precision",
  tokens_n: "integer",
  tokens_sum: "bigint",
  tokens_sq_sum: "double precision",
  cost_sum: "double precision",
  cost_n: "integer",
  first_seen: "text",
  last_seen: "text",
  characteristics_summary: "text",
  confidence_score: "double precision",
  avg_tokens_with_llm: "double precision",
  avg_cost_with_llm: "double precision",
  typical_input_pattern: "text",
  updated_at: "text",
};

/** The columns of a pattern's row that its fold state sets, with the statistics published from it. */
function stateRow(state: PatternState, now: string): Record<string, unknown> {
  return { ...stateColumns(state), ...publishStatistics(state), updated_at: now };
}

/**
 * Writes patterns' fold states and the statistics published from them, in the caller's transaction, which
 * holds their rows' locks already (see `lockPatterns`). The savings figures are not written: they move with
 * the whole history, so they are derived when read (see `withSavings`). One statement from arrays where the
 * engine updates from arrays (PostgreSQL, where a statement per pattern was a round trip each); a statement
 * per pattern, in id order, on SQLite.
 */
export async function storePatternStates(
  trx: Kysely<Database>,
  states: ReadonlyMap<number, PatternState>,
  now: string,
): Promise<void> {
  const sorted = [...states].sort(([a], [b]) => a - b);
  if (sorted.length < 2 || !engineFor(trx).updatesFromArrays) {
    for (const [patternId, state] of sorted)
      await trx
        .updateTable("operation_patterns")
        .set(stateRow(state, now))
        .where("id", "=", patternId)
        .execute();
    return;
  }
  const rows = sorted.map(([, state]) => stateRow(state, now));
  const columns = Object.keys(rows[0] ?? {});
  const types = columns.map((column) => {
    const type = STATE_TYPES[column];
    if (type === undefined) throw new TypeError(`no PostgreSQL type known for operation_patterns.${column}`);
    return type;
  });
  const text = `update operation_patterns p set ${columns.map((column) => `${column} = v.${column}`).join(", ")}
    from unnest($1::integer[], ${types.map((type, i) => `$${i + 2}::${type}[]`).join(", ")})
      as v(id, ${columns.join(", ")})
    where p.id = v.id`;
  const values = [
    sorted.map(([patternId]) => patternId),
    ...columns.map((column) => rows.map((row) => row[column] ?? null)),
  ];
  await trx.executeQuery(CompiledQuery.raw(text, values));
}
