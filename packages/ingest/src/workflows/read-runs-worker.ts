// The worker thread of `readWorkflowRunsInWorker`: reads, parses and checks the lines of a history file and
// builds each run's rows, sending them in chunks while the thread that started it stores the ones before.
import { parentPort, workerData } from "node:worker_threads";
import { readWorkflowRecords } from "./read-workflow-records.js";
import type { ReadRunsMessage, ReadRunsWorkerData } from "./read-workflow-runs.js";
import { type RunLine, toRunLine } from "./run-line.js";

const { file, chunkLines, ahead } = workerData as ReadRunsWorkerData;
const port = parentPort;
if (port === null) throw new Error("read-runs-worker runs as a worker thread");

// Chunks sent and not yet taken: the reader waits rather than fill the heap with a file it reads faster
// than the database stores it.
let credits = ahead;
let wake: (() => void) | undefined;
const take = () => {
  credits++;
  wake?.();
  wake = undefined;
};
port.on("message", take);

const send = async (message: ReadRunsMessage) => {
  while (credits === 0) await new Promise<void>((resolve) => (wake = resolve));
  credits--;
  port.postMessage(message);
};

try {
  let lines: RunLine[] = [];
  for await (const line of readWorkflowRecords(file)) {
    lines.push(toRunLine(line));
    if (lines.length >= chunkLines) {
      await send({ lines, done: false });
      lines = [];
    }
  }
  await send({ lines, done: true });
} catch (error) {
  const { name, message, code } = error as { name?: string; message?: string; code?: string };
  port.postMessage({
    failure: { name: String(name), message: String(message), code },
  } satisfies ReadRunsMessage);
}
// Nothing more to send: the thread ends once its messages are out.
port.off("message", take);
