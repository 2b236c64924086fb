import { DEFAULT_SAVINGS_MODEL, type SavingsModel } from "@patternloop/core";
import type { Kysely } from "kysely";
import { withSavings } from "../patterns/pattern-savings.js";
import type { Database } from "../schema/database.js";
import type { OperationPattern } from "../schema/operation-patterns-table.js";
import { type PatternCommands, patternCommands } from "./pattern-commands.js";
import { type SavingsAssumptions, savingsAssumptions } from "./savings-assumptions.js";

export interface ExampleWorkflow {
  workflow_id: string;
  /** The request, cut to 60 characters. */
  nl_input: string | null;
  status: string;
  workflow_time: string | null;
  tokens_attributed: number | null;
  cost_attributed: number | null;
}

export interface PredictionOutcome {
  workflow_id: string;
  predicted_confidence: number;
  was_correct: number;
  validated_at: string | null;
  /** 1 when replayed over the history by backfill, 0 when predicted live. */
  replayed: number;
}

/** Every statistic of a pattern, with its commands, their scriptability and what ran with them. */
export interface PatternDetails extends PatternCommands {
  /** Its row, with the savings figures derived under the savings model. */
  pattern: Omit<OperationPattern, "characteristics_summary">;
  /** What its savings figures assume. */
  savings_model: SavingsAssumptions;
  /** The accumulator behind `typical_input_pattern`. */
  typical_characteristics: unknown;
  examples: ExampleWorkflow[];
  /** Most recent validated predictions first. */
  accuracy_history: PredictionOutcome[];
  /**
   * Mean tokens and cost per use by how they were attributed: `tool_calls` (the operation's own turns, from
   * transcripts) and `share` (a share of the run's totals), where each exists.
   */
  cost_by_attribution: {
    attribution: string;
    occurrences: number;
    avg_tokens: number | null;
    avg_cost: number | null;
  }[];
}

const REQUEST_CHARS = 60;

/** Every statistic of one pattern, by id or signature, with up to 5 example runs; undefined when unknown. */
export async function patternDetails(
  db: Kysely<Database>,
  idOrSignature: string,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<PatternDetails | undefined> {
  const query = db.selectFrom("operation_patterns").selectAll();
  const stored = /^\d+$/.test(idOrSignature)
    ? await query.where("id", "=", Number(idOrSignature)).executeTakeFirst()
    : await query.where("pattern_signature", "=", idOrSignature.trim().toLowerCase()).executeTakeFirst();
  if (stored === undefined) return undefined;
  const [row] = await withSavings(db, [stored], model);
  if (row === undefined) return undefined;
  const examples = await db
    .selectFrom("pattern_occurrences as po")
    .innerJoin("workflow_history as wh", "wh.workflow_id", "po.workflow_id")
    .select([
      "po.workflow_id",
      "wh.nl_input",
      "wh.status",
      "po.workflow_time",
      "po.tokens_attributed",
      "po.cost_attributed",
    ])
    .where("po.pattern_id", "=", row.id)
    .orderBy("po.id", "desc")
    .limit(5)
    .execute();
  const history = await db
    .selectFrom("pattern_predictions")
    .select(["workflow_id", "predicted_confidence", "was_correct", "validated_at", "replayed"])
    .where("pattern_id", "=", row.id)
    .where("was_correct", "is not", null)
    .orderBy("validated_at", "desc")
    .limit(10)
    .execute();
  const byAttribution = await db
    .selectFrom("pattern_occurrences")
    .select((eb) => [
      "attribution",
      eb.fn.countAll<number>().as("occurrences"),
      eb.fn.avg<number>("tokens_attributed").as("avg_tokens"),
      eb.fn.avg<number>("cost_attributed").as("avg_cost"),
    ])
    .where("pattern_id", "=", row.id)
    .where("attribution", "is not", null)
    .groupBy("attribution")
    .orderBy("attribution", "desc")
    .execute();
  const { characteristics_summary, ...pattern } = row;
  return {
    pattern,
    savings_model: await savingsAssumptions(db, model, row.id),
    typical_characteristics: characteristics_summary === null ? null : JSON.parse(characteristics_summary),
    examples: examples.map((example) => ({ ...example, nl_input: cut(example.nl_input) })),
    accuracy_history: history.map((entry) => ({ ...entry, was_correct: entry.was_correct as number })),
    cost_by_attribution: byAttribution.map((entry) => ({
      attribution: entry.attribution as string,
      occurrences: Number(entry.occurrences),
      avg_tokens: entry.avg_tokens === null ? null : Number(entry.avg_tokens),
      avg_cost: entry.avg_cost === null ? null : Number(entry.avg_cost),
    })),
    ...(await patternCommands(db, row.id)),
  };
}

function cut(text: string | null): string | null {
  if (text === null) return null;
  const flat = text.replace(/\s+/g, " ").trim();
  return flat.length > REQUEST_CHARS ? `${flat.slice(0, REQUEST_CHARS - 1)}…` : flat;
}
