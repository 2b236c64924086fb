import { defineConfig } from "vitest/config";
import { TEST_TIMEOUTS } from "../../vitest.shared.js";

// Node runs the worker threads and second processes of this package's tests on its TypeScript sources: every
// test process registers TypeScript hooks, which whatever it starts inherits with `process.execArgv`.
export default defineConfig({
  test: {
    ...TEST_TIMEOUTS,
    execArgv: ["--import", new URL("./src/test-support/register-typescript.mjs", import.meta.url).href],
  },
});
