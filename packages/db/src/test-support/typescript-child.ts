import { type ChildProcess, fork } from "node:child_process";

/**
 * Starts `node` on one of this package's TypeScript files, with an IPC channel. Test support for the few
 * tests that need a real second process. The child inherits the test process's `execArgv`, and with it the
 * TypeScript hooks that vitest.config.ts registers.
 */
export function forkTypeScript(script: URL, args: readonly string[]): ChildProcess {
  return fork(script, [...args], { stdio: ["ignore", "pipe", "pipe", "ipc"] });
}

/** Collects a child's output and resolves with its exit code once it ends. */
export function completion(child: ChildProcess): Promise<{ code: number | null; output: string }> {
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  return new Promise((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code) => resolve({ code, output }));
  });
}
