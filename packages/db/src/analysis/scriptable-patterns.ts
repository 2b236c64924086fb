import { DEFAULT_SAVINGS_MODEL, type SavingsModel, type Scriptability } from "@patternloop/core";
import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import { countPatterns } from "../patterns/count-patterns.js";
import type { Database } from "../schema/database.js";
import { highValuePatterns, type PatternRow } from "./analysis-queries.js";
import { scriptabilityOfPatterns } from "./pattern-scriptability.js";

/** The scriptability figures a pattern list shows beside each pattern. */
export interface ScriptabilityColumns {
  /** 0–1: `top_command_share × (1 − free_text_share)`. */
  scriptability: number;
  top_command: string | null;
  top_command_share: number;
  free_text_share: number | null;
}

/** A pattern of the high-value list, ranked by what a script could save. */
export type ScriptableValueRow = PatternRow & {
  savings_per_use: number;
  /** `potential_monthly_savings × scriptability`: the savings a script of the most common command reaches. */
  scriptable_monthly_savings: number;
} & ScriptabilityColumns;

const BATCH = 25;

/** The rows given, each with its scriptability figures, in the same order. */
export async function withScriptability<T extends { id: number }>(
  db: Kysely<Database>,
  rows: readonly T[],
): Promise<(T & ScriptabilityColumns)[]> {
  const figures = await scriptabilityOfPatterns(
    db,
    rows.map((row) => row.id),
  );
  return rows.map((row) => ({ ...row, ...columnsOf(figures.get(row.id)) }));
}

/**
 * Patterns by the monthly savings a script could reach, most first: the potential monthly savings weighed by
 * scriptability, so that the list is led by operations a script can do as the agent did them, not by ones
 * whose command changes every time or needs the agent's words (a commit message).
 * Scriptability is at most 1, so a pattern's potential savings bound what it can reach: patterns are read in
 * order of potential savings, and only until no later one could enter the list.
 */
export async function scriptableHighValuePatterns(
  db: Kysely<Database>,
  limit: number,
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<ScriptableValueRow[]> {
  const total = await countPatterns(db);
  if (total === 0) return [];
  const candidates = await highValuePatterns(db, total, model);
  const ranked: ScriptableValueRow[] = [];
  for (const batch of inChunks(candidates, BATCH)) {
    const next = batch[0];
    const floor = ranked[limit - 1];
    if (
      next !== undefined &&
      floor !== undefined &&
      floor.scriptable_monthly_savings > next.potential_monthly_savings
    )
      break;
    for (const row of await withScriptability(db, batch)) {
      ranked.push({ ...row, scriptable_monthly_savings: row.potential_monthly_savings * row.scriptability });
    }
    ranked.sort(byScriptableSavings);
  }
  return ranked.slice(0, limit);
}

function byScriptableSavings(a: ScriptableValueRow, b: ScriptableValueRow): number {
  return (
    b.scriptable_monthly_savings - a.scriptable_monthly_savings ||
    b.potential_monthly_savings - a.potential_monthly_savings ||
    (a.pattern_signature < b.pattern_signature ? -1 : a.pattern_signature > b.pattern_signature ? 1 : 0)
  );
}

function columnsOf(figures: Scriptability | undefined): ScriptabilityColumns {
  return {
    scriptability: figures?.scriptability ?? 0,
    top_command: figures?.top_command ?? null,
    top_command_share: figures?.top_command_share ?? 0,
    free_text_share: figures?.free_text_share ?? null,
  };
}
