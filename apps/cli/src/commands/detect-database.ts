import { type DetectedPattern, detectPatterns } from "@patternloop/core";
import { finishedRuns } from "@patternloop/db";
import { type DatabaseOption, withDatabase } from "../open-database.js";
import type { DetectSummary } from "./detect-summary.js";

/**
 * Detects the patterns of every finished run of a history database, calling `emit` once per run. It only
 * reads: an ADW history never adopted is read through an upgraded copy in memory, the file is not changed.
 */
export function detectDatabase(
  options: DatabaseOption,
  emit: (workflowId: string, patterns: DetectedPattern[]) => void,
): Promise<DetectSummary> {
  return withDatabase(options, { requireHistory: true, migrate: false }, async ({ db }) => {
    const summary: DetectSummary = { records: 0, withPatterns: 0, malformed: 0 };
    for await (const page of finishedRuns(db)) {
      for (const run of page) {
        const patterns = detectPatterns(run);
        summary.records++;
        if (patterns.length > 0) summary.withPatterns++;
        emit(run.workflow_id, patterns);
      }
    }
    return summary;
  });
}
