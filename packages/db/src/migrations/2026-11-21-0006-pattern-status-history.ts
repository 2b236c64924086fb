import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { addIdColumn, isoNow, setAsideExistingTable } from "./migration-helpers.js";

const STATUSES = sql`('detected', 'candidate', 'approved', 'implemented', 'active', 'deprecated')`;

/** `pattern_status_history`: every `automation_status` change of a pattern; removed with it. */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  await setAsideExistingTable(db, engine, "pattern_status_history");
  await addIdColumn(db.schema.createTable("pattern_status_history"), engine)
    .addColumn("pattern_id", "integer", (col) =>
      col.notNull().references("operation_patterns.id").onDelete("cascade"),
    )
    .addColumn("from_status", "text")
    .addColumn("to_status", "text", (col) => col.notNull())
    .addColumn("changed_by", "text", (col) => col.notNull())
    .addColumn("note", "text")
    .addColumn("changed_at", "text", (col) => col.notNull().defaultTo(isoNow(engine)))
    .addCheckConstraint("pattern_status_history_from_status_check", sql`from_status in ${STATUSES}`)
    .addCheckConstraint("pattern_status_history_to_status_check", sql`to_status in ${STATUSES}`)
    .execute();
  await db.schema
    .createIndex("pattern_status_history_pattern_id_idx")
    .on("pattern_status_history")
    .columns(["pattern_id", "changed_at"])
    .execute();
}
