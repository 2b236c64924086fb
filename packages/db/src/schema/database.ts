import type { ClaudeCodeSessionsTable, HookDeliveriesTable } from "./claude-code-sessions-table.js";
import type { HookInboxTable } from "./hook-inbox-table.js";
import type { IngestSourcesTable } from "./ingest-sources-table.js";
import type { OperationPatternsTable } from "./operation-patterns-table.js";
import type { PatternOccurrencesTable } from "./pattern-occurrences-table.js";
import type { PatternPredictionsTable } from "./pattern-predictions-table.js";
import type { PatternStatusHistoryTable } from "./pattern-status-history-table.js";
import type {
  PatternCommandTalliesTable,
  PatternPairTalliesTable,
  PatternTallyWatermarkTable,
} from "./pattern-tallies-table.js";
import type { ValidationTalliesTable } from "./validation-tallies-table.js";
import type { WorkflowHistoryTable } from "./workflow-history-table.js";
import type { WorkflowToolCallsTable } from "./workflow-tool-calls-table.js";

/** The patternloop schema, as `Kysely<Database>` sees it. The same on SQLite and PostgreSQL. */
export interface Database {
  workflow_history: WorkflowHistoryTable;
  workflow_tool_calls: WorkflowToolCallsTable;
  operation_patterns: OperationPatternsTable;
  pattern_occurrences: PatternOccurrencesTable;
  pattern_predictions: PatternPredictionsTable;
  pattern_status_history: PatternStatusHistoryTable;
  ingest_sources: IngestSourcesTable;
  claude_code_sessions: ClaudeCodeSessionsTable;
  hook_deliveries: HookDeliveriesTable;
  hook_inbox: HookInboxTable;
  pattern_command_tallies: PatternCommandTalliesTable;
  pattern_pair_tallies: PatternPairTalliesTable;
  pattern_tally_watermark: PatternTallyWatermarkTable;
  validation_tallies: ValidationTalliesTable;
}
