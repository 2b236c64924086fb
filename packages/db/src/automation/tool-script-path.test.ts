import { describe, expect, it } from "vitest";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { recordToolScript, runsCallingScript } from "./tool-script-path.js";

const SCRIPT = ".claude/skills/test-x_y/run.sh";

for (const engine of ENGINES) {
  describe(`automation script queries (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("records a pattern's script and counts the runs whose commands call it, however they name it", async () => {
      const { db } = fresh();
      const { id } = await db
        .insertInto("operation_patterns")
        .values({ pattern_signature: "test:x:y", pattern_type: "test" })
        .returning("id")
        .executeTakeFirstOrThrow();
      expect(await recordToolScript(db, "test:x:y", SCRIPT)).toBe(true);
      const row = await db
        .selectFrom("operation_patterns")
        .select("tool_script_path")
        .where("id", "=", id)
        .executeTakeFirstOrThrow();
      expect(row.tool_script_path).toBe(SCRIPT);

      expect(await runsCallingScript(db, SCRIPT)).toBe(0);
      const calls: [string, string | null][] = [
        ["wf-1", `${SCRIPT} tests/a.test.js`],
        ["wf-1", `"$CLAUDE_PROJECT_DIR"/${SCRIPT}`],
        ["wf-2", `bash /home/dev/shop/${SCRIPT} 2>&1`],
        // `_` and `%` are literal: a look-alike path is not a call.
        ["wf-3", ".claude/skills/test-xzy/run.sh"],
        ["wf-4", null],
      ];
      for (const [workflow_id] of calls)
        await db
          .insertInto("workflow_history")
          .values({ workflow_id, adw_id: workflow_id, status: "completed" })
          .onConflict((oc) => oc.doNothing())
          .execute();
      await db
        .insertInto("workflow_tool_calls")
        .values(
          calls.map(([workflow_id, command], seq) => ({ workflow_id, seq, tool_name: "Bash", command })),
        )
        .execute();
      expect(await runsCallingScript(db, SCRIPT)).toBe(2);
    });
  });
}
