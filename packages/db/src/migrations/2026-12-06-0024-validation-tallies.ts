import { type Kysely, sql } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import { columnNames } from "./migration-helpers.js";

/**
 * What the validation figures add up, kept where predictions are validated so that no read goes through
 * every prediction: `validation_tallies` (per pattern, origin — live or replayed — and UTC day of
 * validation: predictions validated and how many were right) and `operation_patterns.missed_count` (the
 * patterns a run had that were not predicted for it, counted when the run's predictions were validated).
 * Both start from the rows already stored; missed counts from the occurrences stored now.
 */
// biome-ignore lint/suspicious/noExplicitAny: frozen migrations do not depend on the current schema types
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("validation_tallies")
    .ifNotExists()
    .addColumn("pattern_id", "integer", (col) =>
      col.notNull().references("operation_patterns.id").onDelete("cascade"),
    )
    .addColumn("replayed", "integer", (col) => col.notNull())
    .addColumn("day", "text", (col) => col.notNull())
    .addColumn("validations", "integer", (col) => col.notNull())
    .addColumn("correct", "integer", (col) => col.notNull())
    .addPrimaryKeyConstraint("validation_tallies_pkey", ["pattern_id", "replayed", "day"])
    .execute();
  await sql`
    insert into validation_tallies (pattern_id, replayed, day, validations, correct)
    select pattern_id, replayed, substr(validated_at, 1, 10), count(*), coalesce(sum(was_correct), 0)
    from pattern_predictions
    where validated_at is not null
      and not exists (select 1 from validation_tallies)
    group by pattern_id, replayed, substr(validated_at, 1, 10)`.execute(db);
  if ((await columnNames(db, engineFor(db), "operation_patterns")).has("missed_count")) return;
  await db.schema
    .alterTable("operation_patterns")
    .addColumn("missed_count", "integer", (col) => col.notNull().defaultTo(0))
    .execute();
  await sql`
    update operation_patterns set missed_count = (
      select count(*) from pattern_occurrences po
      where po.pattern_id = operation_patterns.id
        and exists (select 1 from pattern_predictions v where v.workflow_id = po.workflow_id and v.validated_at is not null)
        and not exists (select 1 from pattern_predictions p2 where p2.workflow_id = po.workflow_id and p2.pattern_id = po.pattern_id))`.execute(
    db,
  );
}
