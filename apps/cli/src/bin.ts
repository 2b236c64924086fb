#!/usr/bin/env node
import { guardStdout } from "./io/guard-stdout.js";
import { run } from "./program.js";

guardStdout();
await run(process.argv);
