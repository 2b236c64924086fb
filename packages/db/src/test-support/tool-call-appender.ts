// A second process for the concurrent-append tests. Over IPC it reports "booted" and waits for a message,
// opens the database at argv[2], reports "opened" and waits again, then appends argv[5] tool calls to the run
// argv[3] all at once, each in a transaction of its own, with tool_use_ids `<argv[4]>-<n>`. The pauses let
// the test start every process's appends at the same moment.
import { createDatabase } from "../create-database.js";
import { appendToolCalls } from "../runs/insert-runs.js";
import { nextStep } from "./lock-step.js";

const [url = "", workflowId = "", prefix = "", calls = "0"] = process.argv.slice(2);
await nextStep("booted");
const { db, close } = await createDatabase(url);
await nextStep("opened");
try {
  await Promise.all(
    Array.from({ length: Number(calls) }, (_, n) =>
      db.transaction().execute((trx) =>
        appendToolCalls(trx, [
          {
            workflow_id: workflowId,
            calls: [
              {
                tool_name: "Bash",
                tool_input: { command: `echo ${prefix} ${n}` },
                tool_use_id: `${prefix}-${n}`,
              },
            ],
          },
        ]),
      ),
    ),
  );
} finally {
  await close();
}
