import { describe, expect, it } from "vitest";
import { forkInLockStep } from "../test-support/lock-step.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { insertRuns } from "./insert-runs.js";

const APPENDER = new URL("../test-support/tool-call-appender.ts", import.meta.url);
/** Calls each process appends, each in a transaction of its own, all at once. */
const CALLS = 40;

/** Runs one appender process per prefix on the run, starting their appends at the same moment. */
function appendFromProcesses(url: string, workflowId: string, prefixes: readonly string[]) {
  const args = prefixes.map((prefix) => [url, workflowId, prefix, String(CALLS)]);
  return forkInLockStep(APPENDER, args, 2);
}

for (const engine of ENGINES) {
  describe(`appending tool calls to one run from two connections at once (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("stores every call, at positions 0 to n-1, each once", { timeout: 120_000 }, async () => {
      const { db, url } = fresh();
      await db.transaction().execute((trx) => insertRuns(trx, [{ workflow_id: "r", status: "running" }]));
      for (const { code, output } of await appendFromProcesses(url, "r", ["a", "b"])) {
        expect(output).toBe("");
        expect(code).toBe(0);
      }
      const calls = await db
        .selectFrom("workflow_tool_calls")
        .select(["seq", "tool_use_id"])
        .where("workflow_id", "=", "r")
        .orderBy("seq")
        .execute();
      expect(calls.map((call) => call.seq)).toEqual(Array.from({ length: 2 * CALLS }, (_, i) => i));
      const ids = calls.map((call) => call.tool_use_id).sort();
      const expected = ["a", "b"].flatMap((prefix) =>
        Array.from({ length: CALLS }, (_, n) => `${prefix}-${n}`),
      );
      expect(ids).toEqual(expected.sort());
    });
  });
}
