import { spawnSync } from "node:child_process";
import { BIN, type CliRun } from "../run-cli.js";

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Runs the built CLI with stdout and stderr on a real pseudo-terminal, through util-linux `script`: what a
 * user at a terminal sees (both streams, in `stdout`, with the terminal's `\r\n` line ends).
 */
export function runInTerminal(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string } = {},
): CliRun {
  const command = [process.execPath, BIN, ...args].map(quote).join(" ");
  const result = spawnSync("script", ["-qec", command, "/dev/null"], {
    input: "",
    encoding: "utf8",
    env: {
      ...process.env,
      TERM: "xterm-256color",
      NO_COLOR: undefined,
      FORCE_COLOR: undefined,
      ...options.env,
    },
    cwd: options.cwd,
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
