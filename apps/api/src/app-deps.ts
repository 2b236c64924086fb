import type { PatternloopDatabase } from "@patternloop/db";

/** What the app needs, handed in by whoever starts it (tests use a real database file). */
export interface AppDeps {
  database: PatternloopDatabase;
}
