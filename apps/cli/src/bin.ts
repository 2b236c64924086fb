#!/usr/bin/env node
import { guardStderr, guardStdout } from "./io/guard-stdout.js";
import { run } from "./program.js";

guardStdout();
guardStderr();
await run(process.argv);
