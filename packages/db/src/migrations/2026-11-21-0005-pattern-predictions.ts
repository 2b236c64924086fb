import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { addIdColumn, isoNow, setAsideExistingTable } from "./migration-helpers.js";

/** `pattern_predictions`: at most one row per (workflow, pattern); removed with either. */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  await setAsideExistingTable(db, engine, "pattern_predictions");
  await addIdColumn(db.schema.createTable("pattern_predictions"), engine)
    .addColumn("workflow_id", "text", (col) =>
      col.notNull().references("workflow_history.workflow_id").onDelete("cascade"),
    )
    .addColumn("request_id", "text")
    .addColumn("pattern_id", "integer", (col) =>
      col.notNull().references("operation_patterns.id").onDelete("cascade"),
    )
    .addColumn("pattern_signature", "text", (col) => col.notNull())
    .addColumn("predicted_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .addColumn("predicted_confidence", "double precision", (col) => col.notNull())
    .addColumn("prediction_reason", "text")
    .addColumn("was_correct", "integer")
    .addColumn("validated_at", "text")
    .addColumn("validation_notes", "text")
    .addUniqueConstraint("pattern_predictions_workflow_id_pattern_id_key", ["workflow_id", "pattern_id"])
    .addCheckConstraint(
      "pattern_predictions_predicted_confidence_check",
      sql`predicted_confidence between 0 and 100`,
    )
    .addCheckConstraint("pattern_predictions_was_correct_check", sql`was_correct in (0, 1)`)
    .execute();
  await db.schema
    .createIndex("pattern_predictions_pattern_id_validated_at_idx")
    .on("pattern_predictions")
    .columns(["pattern_id", "validated_at"])
    .execute();
}
