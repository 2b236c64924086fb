import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseClaudeCodeTranscript } from "@patternloop/core";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { ingestClaudeCode } from "./ingest-claude-code.js";

// A real session continued after its context ran out (see core's continued-session test): three model
// requests before the first prompt, then the prompt `continue` and its request.
const FIXTURE = fileURLToPath(
  new URL(
    "../../../core/test/fixtures/transcripts/conneroisu__templar__8f2aa855-be79-4406-9e9a-b94d54e4beed.lines-1-10-and-119-122.jsonl",
    import.meta.url,
  ),
);
const lines = readFileSync(FIXTURE, "utf8").trimEnd().split("\n");

const restamp = (line: string, session: string, timestamp: string) =>
  JSON.stringify({ ...JSON.parse(line), sessionId: session, timestamp });

/**
 * Session A made the first two requests; session B took it up: Claude Code copied A's lines into B's
 * transcript (same message ids, B's session id, a later time), and B went on with requests of its own.
 */
function resumedSessions(): string {
  const dir = join(mkdtempSync(join(tmpdir(), "patternloop-transcripts-")), "project");
  mkdirSync(dir);
  const a = lines.slice(0, 6).map((line) => restamp(line, "session-a", "2025-07-20T00:41:31.579Z"));
  const b = lines.map((line) => restamp(line, "session-b", "2025-07-20T02:00:00.000Z"));
  writeFileSync(join(dir, "session-a.jsonl"), `${a.join("\n")}\n`);
  writeFileSync(join(dir, "session-b.jsonl"), `${b.join("\n")}\n`);
  return dir;
}

for (const engine of ENGINES) {
  describe(`ingestClaudeCode (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("stores the messages a resumed session copied once, though each session is parsed once where it can be", async () => {
      const { handle, db } = fresh();
      const dir = resumedSessions();
      const summary = await ingestClaudeCode(handle, { dirs: [dir] });
      expect(summary.files).toMatchObject({ found: 2, read: 2, unreadable: 0 });

      // What the one transcript holding each message once gives: every stored figure adds up to it.
      const once = parseClaudeCodeTranscript(lines.join("\n")).runs.map((run) => run.record);
      const sum = (records: readonly { output_tokens?: number | null }[]) =>
        records.reduce((total, record) => total + Number(record.output_tokens ?? 0), 0);
      const stored = await db
        .selectFrom("workflow_history")
        .select(["workflow_id", "output_tokens"])
        .orderBy("workflow_id")
        .execute();
      expect(sum(stored)).toBe(sum(once));
      const calls = await db.selectFrom("workflow_tool_calls").select("workflow_id").execute();
      expect(calls).toHaveLength(once.reduce((total, record) => total + (record.tool_calls?.length ?? 0), 0));
      // B's run before its first prompt keeps only the request it made itself, and the call it issued.
      const bPreamble = await db
        .selectFrom("workflow_tool_calls")
        .select("tool_name")
        .where("workflow_id", "=", "session-b:session-b")
        .execute();
      expect(bPreamble).toEqual([{ tool_name: "Read" }]);
    });
  });
}
