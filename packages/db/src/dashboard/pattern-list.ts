import { DEFAULT_SAVINGS_MODEL, type SavingsModel } from "@patternloop/core";
import { type Kysely, sql } from "kysely";
import { PATTERN_COLUMNS, type PatternRow } from "../analysis/analysis-queries.js";
import { withSavings } from "../patterns/pattern-savings.js";
import type { Database } from "../schema/database.js";
import type { AutomationStatus } from "../schema/operation-patterns-table.js";

/** Which patterns a list shows: each given field narrows it. */
export interface PatternFilter {
  /** The pattern type (category): `test`, `build`, `git`… */
  category?: string;
  status?: AutomationStatus;
  /** Only patterns seen in at least one run of this project. */
  project?: string;
}

/** Validated predictions of one origin for one pattern. */
export interface OriginAccuracy {
  validations: number;
  accuracy: number | null;
}

/** A pattern of a list: its stored statistics, its savings, and its accuracy live and replayed apart. */
export type ListedPattern = PatternRow & {
  tool_script_path: string | null;
  live: OriginAccuracy;
  replayed: OriginAccuracy;
};

/**
 * Every pattern seen at least once that the filter lets through, with its savings (as every list derives
 * them) and its accuracy per origin, unsorted: there are as many patterns as distinct operations.
 */
export async function filterPatterns(
  db: Kysely<Database>,
  filter: PatternFilter = {},
  model: SavingsModel = DEFAULT_SAVINGS_MODEL,
): Promise<ListedPattern[]> {
  let query = db
    .selectFrom("operation_patterns as op")
    .select(PATTERN_COLUMNS.map((column) => `op.${column}` as const))
    .select("op.tool_script_path")
    .where("op.occurrence_count", ">", 0);
  if (filter.category !== undefined) query = query.where("op.pattern_type", "=", filter.category);
  if (filter.status !== undefined) query = query.where("op.automation_status", "=", filter.status);
  if (filter.project !== undefined) {
    const project = filter.project;
    query = (await isSmallProject(db, project))
      ? query.where("op.id", "in", (eb) =>
          eb
            .selectFrom("workflow_history as wh")
            .innerJoin("pattern_occurrences as po", "po.workflow_id", "wh.workflow_id")
            .select("po.pattern_id")
            .where("wh.project", "=", project),
        )
      : query.where(({ exists, selectFrom }) =>
          exists(
            selectFrom("pattern_occurrences as po")
              .innerJoin("workflow_history as wh", "wh.workflow_id", "po.workflow_id")
              .select(sql.lit(1).as("one"))
              .whereRef("po.pattern_id", "=", "op.id")
              .where("wh.project", "=", project),
          ),
        );
  }
  const rows = await withSavings(db, await query.execute(), model);
  const accuracy = await accuracyByOrigin(db);
  const none: OriginAccuracy = { validations: 0, accuracy: null };
  return rows.map((row) => ({
    ...row,
    live: accuracy.get(`${row.id}:0`) ?? none,
    replayed: accuracy.get(`${row.id}:1`) ?? none,
  }));
}

/**
 * Whether a project holds few of the runs (a quarter at most). Its patterns are then found from its runs;
 * a large project's from each pattern's occurrences, where one in the project is met early. Each way alone
 * reads most of the history in the other case (0.1 ms against 150–400 ms at 100,000 runs).
 */
async function isSmallProject(db: Kysely<Database>, project: string): Promise<boolean> {
  const { rows } = await sql<{ mine: number; total: number }>`
    select (select count(*) from workflow_history where project = ${project}) as mine,
      (select count(*) from workflow_history) as total`.execute(db);
  return Number(rows[0]?.mine ?? 0) * 4 <= Number(rows[0]?.total ?? 0);
}

/**
 * Validated predictions and the share correct, per pattern and origin (`<id>:0` live, `<id>:1` replayed),
 * from `validation_tallies`.
 */
async function accuracyByOrigin(db: Kysely<Database>): Promise<Map<string, OriginAccuracy>> {
  const { rows } = await sql<{ pattern_id: number; replayed: number; validations: number; correct: number }>`
    select pattern_id, replayed, sum(validations) as validations, sum(correct) as correct
    from validation_tallies
    group by pattern_id, replayed`.execute(db);
  const result = new Map<string, OriginAccuracy>();
  for (const row of rows) {
    const validations = Number(row.validations);
    result.set(`${row.pattern_id}:${Number(row.replayed)}`, {
      validations,
      accuracy: validations === 0 ? null : Number(row.correct) / validations,
    });
  }
  return result;
}

/** The categories, statuses and projects a list can be filtered by, each sorted. */
export async function patternFilterChoices(
  db: Kysely<Database>,
): Promise<{ categories: string[]; statuses: string[]; projects: string[] }> {
  const categories = await db
    .selectFrom("operation_patterns")
    .select("pattern_type")
    .distinct()
    .where("occurrence_count", ">", 0)
    .orderBy("pattern_type")
    .execute();
  const statuses = await db
    .selectFrom("operation_patterns")
    .select("automation_status")
    .distinct()
    .where("occurrence_count", ">", 0)
    .orderBy("automation_status")
    .execute();
  const projects = await db
    .selectFrom("workflow_history")
    .select("project")
    .distinct()
    .where("project", "is not", null)
    .orderBy("project")
    .execute();
  return {
    categories: categories.map((row) => row.pattern_type),
    statuses: statuses.map((row) => row.automation_status),
    projects: projects.map((row) => row.project as string),
  };
}
