// A writer process for the concurrent-completion tests: one of several `node` processes completing runs on
// ONE SQLite file. Over IPC it reports "booted" and receives its job ({ path, completions }), opens the file and
// reports "opened", then waits for "go" (sent to every process at once) and completes its runs one after
// another through the built library. Test support only; imports the build, so run it after `build`.
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase } from "@patternloop/db";
import { completeRuns } from "../dist/index.js";

const job = await step("booted");
const database = await createDatabase(job.path);
try {
  await step("opened");
  for (const { workflow_id, tool_calls } of job.completions) {
    const [outcome] = await completeRuns(
      database,
      [{ workflowId: workflow_id, completion: { status: "completed", tool_calls } }],
      { log: () => {} },
    );
    if (outcome?.outcome !== "completed")
      throw outcome?.outcome === "failed" ? outcome.error : new Error(outcome?.message ?? "not completed");
    // A writer that begins its next transaction at once keeps the file while the others' busy handlers back
    // off; a short pause lets their transactions interleave with this one's.
    await sleep(5);
  }
} finally {
  await database.close();
  process.disconnect?.();
}

/** Tells the parent where this process is and waits for its next message. */
function step(name) {
  return new Promise((resolve) => {
    process.once("message", resolve);
    process.send?.(name);
  });
}
