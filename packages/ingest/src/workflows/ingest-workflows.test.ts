import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { ingestWorkflows as ingest } from "./ingest-workflows.js";

const run = (id: string) => ({
  workflow_id: id,
  nl_input: "run the server tests",
  status: "completed",
  start_time: "2026-03-02T10:00:00Z",
  end_time: "2026-03-02T10:05:00Z",
  tool_calls: [
    { tool_name: "Bash", tool_input: { command: "cd app/server && uv run pytest" }, success: true },
  ],
});

function historyFile(lines: readonly string[]): string {
  const file = join(mkdtempSync(join(tmpdir(), "patternloop-workflows-")), "workflows.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  return file;
}

// Read in the calling thread (a small file, standard input) and in a worker thread (a large file): the same.
for (const [engine, readThread] of ENGINES.flatMap((engine) =>
  (["caller", "worker"] as const).map((thread) => [engine, thread] as const),
)) {
  describe(`ingestWorkflows (${engine}, read in the ${readThread} thread)`, () => {
    const fresh = useFreshDatabase(engine);
    const ingestWorkflows = (...[handle, file, options]: Parameters<typeof ingest>) =>
      ingest(handle, file, { readThread, ...options });

    it("stores each run with its tool calls; loading the file again adds nothing", async () => {
      const { handle } = fresh();
      const file = historyFile([JSON.stringify(run("wf-1")), JSON.stringify(run("wf-2"))]);
      expect(await ingestWorkflows(handle, file)).toEqual({
        read: 2,
        inserted: 2,
        already_present: 0,
        tool_calls: 2,
        malformed: 0,
        failed: 0,
      });
      expect(await ingestWorkflows(handle, file)).toMatchObject({ read: 2, inserted: 0, already_present: 2 });
    });

    it("reports a malformed line with its number and stores the others", async () => {
      const { handle, db } = fresh();
      const problems: string[] = [];
      const file = historyFile(["{oops", JSON.stringify(run("wf-1"))]);
      const summary = await ingestWorkflows(handle, file, {
        onProblem: (line, problem) => problems.push(`${line}: ${problem}`),
      });
      expect(summary).toMatchObject({ read: 1, inserted: 1, malformed: 1 });
      expect(problems).toEqual([expect.stringMatching(/^1: skipped: invalid JSON/)]);
      expect(await db.selectFrom("workflow_history").select("workflow_id").execute()).toEqual([
        { workflow_id: "wf-1" },
      ]);
    });

    it("tells its progress after each batch, ending with every run read", async () => {
      const { handle } = fresh();
      const file = historyFile(Array.from({ length: 1200 }, (_, i) => JSON.stringify(run(`wf-${i}`))));
      const progress: number[] = [];
      await ingestWorkflows(handle, file, { onProgress: ({ read }) => progress.push(read) });
      expect(progress).toEqual([500, 1000, 1200]);
    });
  });
}
