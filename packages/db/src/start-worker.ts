import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker thread whose module is `name` beside the module at `from` (its `import.meta.url`), with
 * the extension `from` has: `name.js` once built. From the TypeScript sources (this package's own tests) it is
 * `name.ts`, which the worker can load because it inherits the test process's `execArgv`, and with it the
 * TypeScript hooks that the test configuration registers.
 */
export function startWorker(from: string, name: string, options: WorkerOptions): Worker {
  const extension = from.endsWith(".ts") ? "ts" : "js";
  return new Worker(new URL(`./${name}.${extension}`, from), options);
}
