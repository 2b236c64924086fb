import type { Migration, MigrationProvider } from "kysely";
import * as workflowHistory from "./2026-11-21-0001-workflow-history.js";
import * as workflowToolCalls from "./2026-11-21-0002-workflow-tool-calls.js";
import * as operationPatterns from "./2026-11-21-0003-operation-patterns.js";
import * as patternOccurrences from "./2026-11-21-0004-pattern-occurrences.js";
import * as patternPredictions from "./2026-11-21-0005-pattern-predictions.js";
import * as patternStatusHistory from "./2026-11-21-0006-pattern-status-history.js";
import * as ingestSources from "./2026-11-21-0007-ingest-sources.js";
import * as claudeCodeSessions from "./2026-11-21-0008-claude-code-sessions.js";
import * as finishedRunsTimeIndex from "./2026-11-21-0009-finished-runs-time-index.js";
import * as toolCallUsage from "./2026-11-21-0010-tool-call-usage.js";
import * as runProject from "./2026-12-06-0011-run-project.js";
import * as derivedSavings from "./2026-12-06-0012-derived-savings.js";
import * as replayedPredictions from "./2026-12-06-0013-replayed-predictions.js";
import * as toolScriptPath from "./2026-12-06-0014-tool-script-path.js";
import * as hookInbox from "./2026-12-06-0015-hook-inbox.js";
import * as adwPatternReview from "./2026-12-06-0016-adw-pattern-review.js";
import * as dashboardIndexes from "./2026-12-06-0017-dashboard-indexes.js";
import * as ingestSourceModified from "./2026-12-06-0018-ingest-source-modified.js";
import * as patternTallies from "./2026-12-06-0019-pattern-tallies.js";
import * as hookInboxAttempts from "./2026-12-06-0022-hook-inbox-attempts.js";
import * as validationTallies from "./2026-12-06-0024-validation-tallies.js";
import * as runProjectIndex from "./2026-12-06-0025-run-project-index.js";

/**
 * Every migration, by name; names sort in the order they run. Migrations are frozen: a schema change is a
 * new, later-named file added here, never an edit to an existing one.
 */
const MIGRATIONS: Readonly<Record<string, Migration>> = Object.freeze({
  "2026-11-21-0001-workflow-history": workflowHistory,
  "2026-11-21-0002-workflow-tool-calls": workflowToolCalls,
  "2026-11-21-0003-operation-patterns": operationPatterns,
  "2026-11-21-0004-pattern-occurrences": patternOccurrences,
  "2026-11-21-0005-pattern-predictions": patternPredictions,
  "2026-11-21-0006-pattern-status-history": patternStatusHistory,
  "2026-11-21-0007-ingest-sources": ingestSources,
  "2026-11-21-0008-claude-code-sessions": claudeCodeSessions,
  "2026-11-21-0009-finished-runs-time-index": finishedRunsTimeIndex,
  "2026-11-21-0010-tool-call-usage": toolCallUsage,
  "2026-12-06-0011-run-project": runProject,
  "2026-12-06-0012-derived-savings": derivedSavings,
  "2026-12-06-0013-replayed-predictions": replayedPredictions,
  "2026-12-06-0014-tool-script-path": toolScriptPath,
  "2026-12-06-0015-hook-inbox": hookInbox,
  "2026-12-06-0016-adw-pattern-review": adwPatternReview,
  "2026-12-06-0017-dashboard-indexes": dashboardIndexes,
  "2026-12-06-0018-ingest-source-modified": ingestSourceModified,
  "2026-12-06-0019-pattern-tallies": patternTallies,
  "2026-12-06-0022-hook-inbox-attempts": hookInboxAttempts,
  "2026-12-06-0024-validation-tallies": validationTallies,
  "2026-12-06-0025-run-project-index": runProjectIndex,
});

/**
 * The migrations bundled into the package (no migrations folder is read at run time), for kysely's
 * `Migrator`. {@link createDatabase} already runs them to the latest on open; use this to inspect them.
 *
 * @example
 * const migrator = new Migrator({ db, provider: migrationProvider });
 * console.log(await migrator.getMigrations());
 */
export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return MIGRATIONS;
  },
};
