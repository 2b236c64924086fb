import {
  DEFAULT_SAVINGS_MODEL,
  type SavingsBasis,
  type SavingsFigures,
  type SavingsModel,
  savingsFigures,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import { type HistorySpan, readHistorySpan } from "./history-span.js";

/**
 * Patterns with their savings figures, derived as they are read from their stored aggregates, the span of
 * the whole history and the savings model. Every reader of the figures goes through here: nothing that
 * depends on the whole history is stored, so no write can leave it stale.
 */
export async function withSavings<T extends SavingsBasis>(
  db: Kysely<Database>,
  rows: readonly T[],
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
  span?: HistorySpan,
): Promise<(T & SavingsFigures)[]> {
  const { days } = span ?? (await readHistorySpan(db));
  return rows.map((row) => ({ ...row, ...savingsFigures(row, days, model) }));
}

/** Largest monthly savings first; equal savings by signature, so that the order is stable. */
export function byMonthlySavings(
  a: SavingsFigures & { pattern_signature: string },
  b: SavingsFigures & { pattern_signature: string },
): number {
  return (
    b.potential_monthly_savings - a.potential_monthly_savings ||
    (a.pattern_signature < b.pattern_signature ? -1 : a.pattern_signature > b.pattern_signature ? 1 : 0)
  );
}
