import { spawnSync } from "node:child_process";
import { chmodSync, existsSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "./run-cli.js";
import { tempDirectory } from "./support/temp-directory.js";

const COMPLETE_IN_BASH = fileURLToPath(new URL("./support/complete-in-bash.sh", import.meta.url));

/** bash-completion's helpers, which the generated bash script uses (as every distribution's bash has). */
const BASH_COMPLETION = "/usr/share/bash-completion/bash_completion";
const HAS_BASH_COMPLETION = existsSync(BASH_COMPLETION);
if (!HAS_BASH_COMPLETION)
  console.warn(`bash completion tests skipped: no ${BASH_COMPLETION} (apt-get install bash-completion)`);

/**
 * What bash would offer after `words` (the last one being completed): the script `completion bash` prints is
 * sourced, `complete -p` gives its function, which is called as bash calls it on TAB, with `patternloop` on
 * the PATH as an installed binary is.
 */
function bashCompletes(bin: string, words: string[]): string[] {
  const run = spawnSync("bash", [COMPLETE_IN_BASH, BASH_COMPLETION, ...words], {
    encoding: "utf8",
    env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
  });
  expect(run.status, run.stderr).toBe(0);
  return run.stdout.split("\n").filter((line) => line !== "");
}

describe("shell completion", { timeout: 120_000 }, () => {
  let bin: string;
  beforeAll(() => {
    bin = tempDirectory();
    const launcher = join(bin, "patternloop");
    writeFileSync(launcher, `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
    chmodSync(launcher, 0o755);
  });

  it.skipIf(!HAS_BASH_COMPLETION)("bash: the script registers a completion function for patternloop", () => {
    const script = runCli(["completion", "bash"]);
    expect(script.status).toBe(0);
    const file = join(tempDirectory(), "patternloop.bash");
    writeFileSync(file, script.stdout);
    const run = spawnSync(
      "bash",
      ["-c", `source ${BASH_COMPLETION}; source ${file}; complete -p patternloop`],
      {
        encoding: "utf8",
      },
    );
    expect(run.stdout, run.stderr).toMatch(/^complete -F \S+ patternloop$/m);
  });

  it.skipIf(!HAS_BASH_COMPLETION)("bash: completes the commands, the subcommands and the options", () => {
    expect(bashCompletes(bin, ["patternloop", "an"])).toEqual(["analyze"]);
    expect(bashCompletes(bin, ["patternloop", "ingest", ""])).toEqual(
      expect.arrayContaining(["workflows", "claude-code", "hooks"]),
    );
    const analyses = bashCompletes(bin, ["patternloop", "analyze", ""]);
    expect(analyses).toEqual(
      expect.arrayContaining(["accuracy", "trend", "reliable", "by-type", "coverage", "top", "details"]),
    );
    expect(bashCompletes(bin, ["patternloop", "analyze", "hi"])).toEqual(["high-value"]);
    expect(bashCompletes(bin, ["patternloop", "backfill", "--d"])).toEqual(["--db", "--dry-run"]);
    expect(bashCompletes(bin, ["patternloop", "completion", ""])).toEqual(
      expect.arrayContaining(["bash", "zsh", "fish"]),
    );
  });

  it("zsh and fish: a script that asks patternloop for its suggestions", () => {
    const zsh = runCli(["completion", "zsh"]);
    expect(zsh.status).toBe(0);
    expect(zsh.stdout).toMatch(/^#compdef patternloop\n/);
    expect(zsh.stdout).toContain("patternloop complete --");
    const fish = runCli(["completion", "fish"]);
    expect(fish.status).toBe(0);
    expect(fish.stdout).toContain("complete -c patternloop");
    expect(fish.stdout).toContain("patternloop complete --");
  });

  it("the suggestions the scripts ask for: the subcommands with their descriptions", () => {
    const run = runCli(["complete", "--", "analyze", ""]);
    expect(run.status).toBe(0);
    expect(run.stdout).toContain("coverage\tshare of completed runs that had predictions\n");
  });

  it("an unknown shell is one line of bad input, exit 2", () => {
    const run = runCli(["completion", "tcsh"]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(/^error: .*'tcsh' is invalid/);
  });
});
