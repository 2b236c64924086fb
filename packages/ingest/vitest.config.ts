import { defineConfig } from "vitest/config";
import { TEST_TIMEOUTS } from "../../vitest.shared.js";

// A replay completes runs one by one through the validation loop: on PostgreSQL, over the network, it takes
// longer than vitest's default five seconds on a busy machine.
// The worker thread that reads a large history runs on its TypeScript source in tests: every test process
// registers the db package's TypeScript hooks, which the worker inherits with `process.execArgv`.
export default defineConfig({
  test: {
    ...TEST_TIMEOUTS,
    execArgv: ["--import", new URL("../db/src/test-support/register-typescript.mjs", import.meta.url).href],
  },
});
