import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** How many patterns are stored (a read that touches the patterns table, as a health check wants). */
export async function countPatterns(db: Kysely<Database>): Promise<number> {
  const row = await db
    .selectFrom("operation_patterns")
    .select((eb) => eb.fn.countAll<number>().as("patterns"))
    .executeTakeFirstOrThrow();
  return Number(row.patterns);
}
