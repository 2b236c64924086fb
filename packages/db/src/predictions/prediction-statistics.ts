import type { Kysely } from "kysely";
import { engineFor } from "../engine/engine-for.js";
import type { Database } from "../schema/database.js";

/**
 * Has the planner count the predictions table again (PostgreSQL's `ANALYZE`; nothing on SQLite), for a writer
 * that grows it far faster than autovacuum looks, at most once a minute: the replay of a whole history. Until
 * then, the lookups of a list of runs' predictions are planned as if each run matched 0.5% of the table, and
 * each reads the whole table (713 such reads, 65 million rows, over the replay of 100,000 runs).
 */
export async function refreshPredictionStatistics(db: Kysely<Database>): Promise<void> {
  await engineFor(db).refreshStatistics(db, ["pattern_predictions"]);
}
