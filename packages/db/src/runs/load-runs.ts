import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";
import { type PackedRun, packedCalls, unpackRun } from "./calls-json.js";
import { readRunsThenCalls } from "./read-runs-then-calls.js";
import { type CallDetail, type StoredRun, toStoredRun } from "./stored-run.js";

export type { StoredRun } from "./stored-run.js";

/** Loads runs and their tool calls by `workflow_id`, in the order given. Unknown ids are left out. */
export function loadRuns(db: Kysely<Database>, workflowIds: readonly string[]): Promise<StoredRun[]> {
  return loadRunsWhere(db, "workflow_id", workflowIds, "full");
}

/** Loads runs and their tool calls by row id (`workflow_history.id`), in the order given. */
export function loadRunsByRowIds(db: Kysely<Database>, ids: readonly number[]): Promise<StoredRun[]> {
  return loadRunsWhere(db, "id", ids, "full");
}

async function loadRunsWhere<K extends "id" | "workflow_id">(
  db: Kysely<Database>,
  key: K,
  values: readonly (K extends "id" ? number : string)[],
  detail: CallDetail,
): Promise<StoredRun[]> {
  if (values.length === 0) return [];
  const packed = engineFor(db).packsCallsAsJson ? await readPackedRuns(db, key, values, detail) : undefined;
  const byKey = new Map<unknown, StoredRun>(
    packed?.map((row) => [row[key], unpackRun(row, detail)]) ??
      (await readRunsThenCalls(db, key, values)).map(({ run, calls }) => [run[key], toStoredRun(run, calls)]),
  );
  return values.flatMap((value) => byKey.get(value) ?? []);
}

/**
 * The runs and their tool calls in one query, each run's calls packed as one JSON text (see
 * `calls-json.ts`). Undefined when the query fails (a BLOB where text is expected, which JSON cannot hold):
 * the caller then reads the plain way.
 */
async function readPackedRuns<K extends "id" | "workflow_id">(
  db: Kysely<Database>,
  key: K,
  values: readonly (K extends "id" ? number : string)[],
  detail: CallDetail,
): Promise<PackedRun[] | undefined> {
  try {
    return (
      await sql<PackedRun>`
        select h.*, ${packedCalls(detail)} as tool_calls_json
        from workflow_history h where ${sql.ref(`h.${key}`)} in (${sql.join(values)})`.execute(db)
    ).rows;
  } catch {
    return undefined;
  }
}
