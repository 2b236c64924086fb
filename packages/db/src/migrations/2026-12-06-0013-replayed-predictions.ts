import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames } from "./migration-helpers.js";

/**
 * Predictions replayed over a history by backfill are marked apart from those made live at run start, so
 * reports can show the two accuracies side by side; every prediction stored before was live.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const existing = await columnNames(db, engineFor(db), "pattern_predictions");
  if (!existing.has("replayed"))
    await db.schema
      .alterTable("pattern_predictions")
      .addColumn("replayed", "integer", (col) => col.notNull().defaultTo(0))
      .execute();
}
