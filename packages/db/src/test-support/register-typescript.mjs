// Registers ts-loader-hooks.mjs. vitest.config.ts gives it to every test process of this package with
// `--import`; the worker threads and child processes a test starts inherit that `execArgv`, so they can run
// this package's TypeScript sources too. Test support only.
import { register } from "node:module";

register(new URL("./ts-loader-hooks.mjs", import.meta.url));
