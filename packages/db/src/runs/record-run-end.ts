import { CompiledQuery, type Kysely } from "kysely";
import type { Engine } from "../engine/engine.js";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";
import { runFigures } from "./insert-runs.js";

/** What the end of a run sets in its `workflow_history` row. */
export type RunEnd = ReturnType<typeof runFigures> & {
  status: "completed" | "failed";
  end_time: string;
  updated_at: string;
  patterns_processed_at: string;
};

/** Every column of a {@link RunEnd} (the compiler checks none is missing), in the order they are bound. */
const END_COLUMNS = Object.keys({
  status: true,
  end_time: true,
  ...runFigures({}),
  updated_at: true,
  patterns_processed_at: true,
} satisfies Record<keyof RunEnd, unknown>) as (keyof RunEnd)[];

const texts = new Map<Engine, string>();

function recordEndSql(engine: Engine): string {
  let text = texts.get(engine);
  if (text === undefined) {
    const assignments = END_COLUMNS.map((column, i) => `${column} = ${engine.placeholder(i)}`);
    text = `update workflow_history set ${assignments.join(", ")} where workflow_id = ${engine.placeholder(END_COLUMNS.length)}`;
    texts.set(engine, text);
  }
  return text;
}

/**
 * Stores the end of a run in its `workflow_history` row, in the caller's transaction, with one statement
 * written once per engine: Kysely's builder compiled its fourteen columns anew for every run a server
 * completes.
 */
export async function recordRunEnd(trx: Kysely<Database>, workflowId: string, end: RunEnd): Promise<void> {
  const values = [...END_COLUMNS.map((column) => end[column]), workflowId];
  await trx.executeQuery(CompiledQuery.raw(recordEndSql(engineFor(trx)), values));
}
