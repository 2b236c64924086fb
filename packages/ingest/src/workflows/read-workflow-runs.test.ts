import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { PatternloopIngestError } from "../ingest-error.js";
import { type ReadThread, readWorkflowRuns } from "./read-workflow-runs.js";
import type { RunLine } from "./run-line.js";

const record = (id: string) =>
  JSON.stringify({
    workflow_id: id,
    status: "completed",
    start_time: "2026-03-02T10:00:00+02:00",
    tool_calls: [
      { tool_name: "Bash", tool_input: { command: "uv run pytest" }, success: true, tool_use_id: "t1" },
      { tool_name: "Read", tool_input: { file_path: "a.py" }, tool_use_id: "t2" },
      { tool_name: "Bash", tool_input: { command: "uv run pytest -x" }, success: false, tool_use_id: "t1" },
    ],
  });

function historyFile(content: string | Buffer): string {
  const file = join(mkdtempSync(join(tmpdir(), "patternloop-runs-")), "workflows.jsonl");
  writeFileSync(file, content);
  return file;
}

async function linesOf(file: string, thread: ReadThread): Promise<RunLine[]> {
  const lines: RunLine[] = [];
  for await (const line of readWorkflowRuns(file, thread)) lines.push(line);
  return lines;
}

describe("readWorkflowRuns", () => {
  it("gives the same lines from a worker thread as from the caller's, in order, over several chunks", async () => {
    const lines = [
      "{oops",
      "",
      JSON.stringify({ workflow_id: "wf-bad", status: "exploded" }),
      JSON.stringify({ type: "user", sessionId: "s-1", message: {} }),
      ...Array.from({ length: 1300 }, (_, i) => record(`wf-${i}`)),
    ];
    const file = historyFile(
      Buffer.concat([
        Buffer.from(`${lines.join("\n")}\n`),
        Buffer.from([0xff, 0xfe, 0x0a]),
        Buffer.from(record("last")),
      ]),
    );
    const inCaller = await linesOf(file, "caller");
    expect(inCaller).toHaveLength(1305);
    expect(inCaller.filter((line) => !line.ok).map((line) => line.number)).toEqual([1, 3, 4, 1305]);
    expect(await linesOf(file, "worker")).toEqual(inCaller);
  });

  it("builds a run's rows: one per tool_use_id, the first position with the latest content", async () => {
    const [line] = await linesOf(historyFile(`${record("wf-1")}\n`), "worker");
    expect(line?.ok && line.run.calls.length / 16).toBe(2);
    expect(line?.ok && line.run.calls.slice(0, 6)).toEqual([
      "wf-1",
      0,
      "Bash",
      '{"command":"uv run pytest -x"}',
      "uv run pytest -x",
      0,
    ]);
  });

  it("refuses a missing file from the worker as from the caller: one input error, nothing read", async () => {
    const missing = join(tmpdir(), "patternloop-no-such-history.jsonl");
    await expect(linesOf(missing, "worker")).rejects.toThrow(PatternloopIngestError);
    await expect(linesOf(missing, "worker")).rejects.toMatchObject({
      code: "bad_input",
      message: `file not found: ${missing}`,
    });
  });
});
