import { Worker, type WorkerOptions } from "node:worker_threads";

/**
 * Starts the worker thread whose module is `name` (without extension) beside the module at `from` (its
 * `import.meta.url`): `name.js` once built. From the TypeScript sources (this package's own tests) Node
 * cannot load the `.ts` entry by itself, so the worker first registers the test suite's TypeScript hooks.
 */
export function startWorker(from: string, name: string, options: WorkerOptions): Worker {
  if (!from.endsWith(".ts")) return new Worker(new URL(`./${name}.js`, from), options);
  const hooks = new URL("./test-support/ts-loader-hooks.mjs", import.meta.url).href;
  const entry = new URL(`./${name}.ts`, from).href;
  return new Worker(
    `import("node:module").then((m) => m.register(${JSON.stringify(hooks)})).then(() => import(${JSON.stringify(entry)}))`,
    { ...options, eval: true },
  );
}
