import { Migrator } from "kysely";
import { describe, expect, it } from "vitest";
import { createDatabase } from "./create-database.js";
import { engineFor } from "./engine/engine-for.js";
import { columnNames } from "./migrations/migration-helpers.js";
import { migrationProvider } from "./migrations/migration-provider.js";
import { insertWorkflows } from "./test-support/fixtures.js";
import { ENGINES, useFreshDatabase } from "./testing/dialects.js";

/** Every table and column the spec names, with the columns the statistics need. */
const TABLES: Record<string, string[]> = {
  workflow_history: [
    "id",
    "workflow_id",
    "adw_id",
    "nl_input",
    "workflow_template",
    "status",
    "start_time",
    "end_time",
    "duration_seconds",
    "error_message",
    "retry_count",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_creation_tokens",
    "total_tokens",
    "actual_cost_total",
    "model_used",
    "created_at",
    "updated_at",
    "workflow_time",
    "patterns_processed_at",
    "project",
  ],
  workflow_tool_calls: [
    "id",
    "workflow_id",
    "seq",
    "tool_name",
    "tool_input",
    "command",
    "success",
    "duration_ms",
    "timestamp",
    "tool_use_id",
    "input_tokens",
    "output_tokens",
    "cache_read_tokens",
    "cache_creation_tokens",
    "cost_usd",
    "error",
    "is_interrupt",
  ],
  operation_patterns: [
    "id",
    "pattern_signature",
    "pattern_type",
    "occurrence_count",
    "confidence_score",
    "avg_tokens_with_llm",
    "avg_cost_with_llm",
    "avg_tokens_with_tool",
    "avg_cost_with_tool",
    "potential_monthly_savings",
    "automation_status",
    "typical_input_pattern",
    "prediction_accuracy",
    "first_seen",
    "last_seen",
    "created_at",
    "updated_at",
    "tokens_sum",
    "tokens_sq_sum",
    "tokens_n",
    "cost_sum",
    "cost_n",
    "duration_sum",
    "duration_sq_sum",
    "duration_n",
    "success_count",
    "error_count",
    "retry_sum",
    "validated_count",
    "correct_count",
    "missed_count",
    "characteristics_summary",
    "tool_script_path",
    "tool_name",
    "reviewed_by",
    "reviewed_at",
    "review_notes",
  ],
  pattern_occurrences: [
    "id",
    "pattern_id",
    "workflow_id",
    "workflow_time",
    "tokens_attributed",
    "cost_attributed",
    "attribution",
    "evidence",
    "detected_at",
  ],
  pattern_predictions: [
    "id",
    "workflow_id",
    "request_id",
    "pattern_id",
    "pattern_signature",
    "predicted_at",
    "predicted_confidence",
    "prediction_reason",
    "was_correct",
    "validated_at",
    "validation_notes",
    "replayed",
  ],
  pattern_status_history: [
    "id",
    "pattern_id",
    "from_status",
    "to_status",
    "changed_by",
    "note",
    "changed_at",
  ],
  ingest_sources: ["source", "kind", "offset_bytes", "content_hash", "updated_at", "modified_ms"],
  claude_code_sessions: ["session_id", "open_workflow_id", "prompts", "updated_at"],
  hook_deliveries: ["digest", "session_id", "hook_event_name", "received_at"],
  hook_inbox: [
    "id",
    "event_id",
    "session_id",
    "payload_digest",
    "delivery_key",
    "payload",
    "received_at",
    "claimed_until",
    "processed_at",
    "attempts",
    "last_error",
    "set_aside_at",
  ],
  pattern_command_tallies: ["pattern_id", "tally"],
  pattern_pair_tallies: ["pattern_id", "other_id", "same_run", "same_command"],
  pattern_tally_watermark: ["id", "folded_through", "folded_count"],
  validation_tallies: ["pattern_id", "replayed", "day", "validations", "correct"],
};

for (const engine of ENGINES) {
  describe(`migrations on ${engine}`, () => {
    const fresh = useFreshDatabase(engine);

    it("create every table with every column", async () => {
      const { db } = fresh();
      for (const [table, columns] of Object.entries(TABLES)) {
        expect([...(await columnNames(db, engineFor(db), table))].sort(), table).toEqual([...columns].sort());
      }
    });

    it("record every bundled migration as executed", async () => {
      const { db, url } = fresh();
      const migrator = new Migrator({
        db,
        provider: migrationProvider,
        ...(engine === "postgres"
          ? { migrationTableSchema: new URL(url).searchParams.get("schema") ?? "" }
          : {}),
      });
      const migrations = await migrator.getMigrations();
      expect(migrations.length).toBeGreaterThanOrEqual(7);
      expect(migrations.filter((migration) => migration.executedAt === undefined)).toEqual([]);
    });

    it("are idempotent: opening again runs nothing and keeps the data", async () => {
      const { db, url } = fresh();
      await insertWorkflows(db, "wf-1", "wf-2");
      const before = await db
        .selectFrom("kysely_migration" as never)
        .selectAll()
        .execute();

      const again = await createDatabase(url);
      try {
        const after = await again.db
          .selectFrom("kysely_migration" as never)
          .selectAll()
          .execute();
        expect(after).toEqual(before);
        const runs = await again.db
          .selectFrom("workflow_history")
          .select("workflow_id")
          .orderBy("id")
          .execute();
        expect(runs.map((run) => run.workflow_id)).toEqual(["wf-1", "wf-2"]);
      } finally {
        await again.close();
      }
    });
  });
}
