import { spawnSync } from "node:child_process";
import { BIN, type CliRun } from "../run-cli.js";

const quote = (word: string) => `'${word.replaceAll("'", `'\\''`)}'`;

/**
 * Runs the built CLI with stdout and stderr on a real pseudo-terminal, through util-linux `script`: what a
 * user at a terminal sees (both streams, in `stdout`, with the terminal's `\r\n` line ends). With
 * `stdoutTo`, stdout goes to that file instead, as `patternloop generate > runs.jsonl` at a terminal.
 */
export function runInTerminal(
  args: string[],
  options: { env?: NodeJS.ProcessEnv; cwd?: string; stdoutTo?: string } = {},
): CliRun {
  const redirect = options.stdoutTo === undefined ? "" : ` > ${quote(options.stdoutTo)}`;
  const command = `${[process.execPath, BIN, ...args].map(quote).join(" ")}${redirect}`;
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
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}
