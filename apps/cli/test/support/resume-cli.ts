import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

const BIN = fileURLToPath(new URL("../../dist/bin.js", import.meta.url));

export interface FinishedCli {
  status: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

export interface StartedCli {
  child: ChildProcess;
  finished: Promise<FinishedCli>;
}

/**
 * Starts the built `patternloop` binary in a child process without waiting for it, so that a test can run
 * two at once or kill one mid-way. `onStderrLines` hears the running count of stderr lines as they arrive.
 */
export function startCli(
  args: string[],
  onStderrLines?: (lines: number, child: ChildProcess) => void,
): StartedCli {
  const child = spawn(process.execPath, [BIN, ...args], { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  let lines = 0;
  child.stdout?.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
  });
  child.stderr?.setEncoding("utf8").on("data", (chunk: string) => {
    stderr += chunk;
    for (let i = chunk.indexOf("\n"); i !== -1; i = chunk.indexOf("\n", i + 1)) lines++;
    onStderrLines?.(lines, child);
  });
  const finished = new Promise<FinishedCli>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (status, signal) => resolve({ status, signal, stdout, stderr }));
  });
  return { child, finished };
}
