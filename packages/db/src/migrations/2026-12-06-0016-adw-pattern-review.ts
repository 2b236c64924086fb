import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames, isoNow } from "./migration-helpers.js";

/** The ADW-era columns of `operation_patterns` that say what a person decided about a pattern. */
const REVIEW_COLUMNS = [
  "tool_name",
  "tool_script_path",
  "reviewed_by",
  "reviewed_at",
  "review_notes",
] as const;

/** Statuses only a person sets; `detected` and `candidate` are derived again from the history. */
const DECIDED = new Set(["approved", "implemented", "active", "deprecated"]);

const SIGNATURE = /^[a-z0-9_-]+:[a-z0-9_-]+:[a-z0-9_-]+$/;

/**
 * The ADW-era review columns on `operation_patterns` (`tool_name`, `reviewed_by`, `reviewed_at`,
 * `review_notes`; `tool_script_path` came earlier), and what an adopted ADW database kept in them carried
 * over from the table set aside as `operation_patterns_legacy`: a legacy row whose signature is a valid
 * patternloop signature becomes (or fills) the pattern of that signature, keeping a person's decision
 * (approved, implemented, active, deprecated) with a status-history entry. Statistics are not carried: the
 * backfill derives them from the runs. Rows with other signatures stay in the legacy table only.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  const engine = engineFor(db);
  const existing = await columnNames(db, engine, "operation_patterns");
  for (const column of REVIEW_COLUMNS) {
    if (!existing.has(column))
      await db.schema.alterTable("operation_patterns").addColumn(column, "text").execute();
  }
  const legacyColumns = await columnNames(db, engine, "operation_patterns_legacy");
  if (!legacyColumns.has("pattern_signature")) return;
  const carried = REVIEW_COLUMNS.filter((column) => legacyColumns.has(column));
  const selected = [...carried, ...(legacyColumns.has("automation_status") ? ["automation_status"] : [])];
  const legacy = (await db
    .selectFrom("operation_patterns_legacy")
    .select(["pattern_signature", ...selected])
    .orderBy(legacyColumns.has("id") ? "id" : "pattern_signature")
    .execute()) as Record<string, unknown>[];
  for (const row of legacy) {
    const signature = row.pattern_signature;
    if (typeof signature !== "string" || !SIGNATURE.test(signature)) continue;
    const status = typeof row.automation_status === "string" ? row.automation_status : "detected";
    const decided = DECIDED.has(status) ? status : undefined;
    const values = Object.fromEntries(carried.map((column) => [column, text(row[column])]));
    const found = (await db
      .selectFrom("operation_patterns")
      .select(["id", ...carried])
      .where("pattern_signature", "=", signature)
      .executeTakeFirst()) as Record<string, unknown> | undefined;
    if (found === undefined) {
      const { id } = await db
        .insertInto("operation_patterns")
        .values({
          pattern_signature: signature,
          pattern_type: signature.split(":")[0],
          automation_status: decided ?? "detected",
          ...values,
        })
        .returning("id")
        .executeTakeFirstOrThrow();
      if (decided !== undefined) {
        await db
          .insertInto("pattern_status_history")
          .values({
            pattern_id: id,
            from_status: "detected",
            to_status: decided,
            changed_by: text(row.reviewed_by) ?? "adw",
            note: text(row.review_notes) ?? "carried over from the ADW operation_patterns table",
            changed_at: sql`coalesce(${engine.normalizedTime(sql`${text(row.reviewed_at)}`)}, ${isoNow(engine)})`,
          })
          .execute();
      }
      continue;
    }
    // A pattern this schema already has keeps its own values; the legacy ones fill only what is empty.
    const fill = Object.fromEntries(
      Object.entries(values).filter(([column, value]) => value !== null && found[column] == null),
    );
    if (Object.keys(fill).length > 0)
      await db.updateTable("operation_patterns").set(fill).where("id", "=", found.id).execute();
  }
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return String(value);
}
