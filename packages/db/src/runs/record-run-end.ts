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

/** The PostgreSQL type of each column of a {@link RunEnd}, for the arrays {@link recordRunEnds} binds. */
const END_TYPES = {
  status: "text",
  end_time: "text",
  duration_seconds: "double precision",
  error_message: "text",
  retry_count: "integer",
  input_tokens: "bigint",
  output_tokens: "bigint",
  cache_read_tokens: "bigint",
  cache_creation_tokens: "bigint",
  total_tokens: "bigint",
  actual_cost_total: "double precision",
  model_used: "text",
  updated_at: "text",
  patterns_processed_at: "text",
} satisfies Record<keyof RunEnd, string>;

/** One statement for the ends of any number of runs, from one array per column (one value per run). */
const RECORD_ENDS_FROM_ARRAYS = `update workflow_history h set ${END_COLUMNS.map((column) => `${column} = v.${column}`).join(", ")}
  from unnest($1::text[], ${END_COLUMNS.map((column, i) => `$${i + 2}::${END_TYPES[column]}[]`).join(", ")})
    as v(workflow_id, ${END_COLUMNS.join(", ")})
  where h.workflow_id = v.workflow_id`;

/** A run's end, for {@link recordRunEnds}. */
export interface RunEndOf {
  workflowId: string;
  end: RunEnd;
}

/**
 * {@link recordRunEnd} for several runs, each listed once: one statement for all of them where the engine
 * updates from arrays (PostgreSQL, where a batch of completions otherwise took a round trip per run).
 */
export async function recordRunEnds(trx: Kysely<Database>, ends: readonly RunEndOf[]): Promise<void> {
  const engine = engineFor(trx);
  if (ends.length < 2 || !engine.updatesFromArrays) {
    for (const { workflowId, end } of ends) await recordRunEnd(trx, workflowId, end);
    return;
  }
  const values = [
    ends.map(({ workflowId }) => workflowId),
    ...END_COLUMNS.map((column) => ends.map(({ end }) => end[column])),
  ];
  await trx.executeQuery(CompiledQuery.raw(RECORD_ENDS_FROM_ARRAYS, values));
}
