import { spawnSync } from "node:child_process";
import { chmodSync, copyFileSync, cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { BIN, fixture } from "./run-cli.js";
import { generatedAdwHistory } from "./support/adw-history.js";
import { HISTORY } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";

const ROOT = fileURLToPath(new URL("../../..", import.meta.url));
const README = readFileSync(join(ROOT, "README.md"), "utf8");

/** Commands that keep running until stopped: their own tests start and stop them. */
const LONG_RUNNING = /\bpatternloop serve\b|--follow\b/;

/** The `patternloop …` lines of the README's `sh` blocks, in order, without their comments. */
function readmeCommands(): string[] {
  const blocks = [...README.matchAll(/```sh\n([\s\S]*?)```/g)].map((match) => match[1] ?? "");
  return blocks
    .flatMap((block) => block.split("\n"))
    .map((line) => line.replace(/\s+#\s.*$/, "").trim())
    .filter((line) => /^([A-Z_]+=\S+\s+)*patternloop(\s|$)/.test(line) && !LONG_RUNNING.test(line));
}

/**
 * A directory with what the README's commands read (`runs.jsonl`, `hook-events.jsonl`, an ADW
 * `workflow_history.db`, a home with Claude Code transcripts, a `patternloop.config.json`), and `patternloop` on the PATH as npm installs it: the built CLI.
 */
function readmeWorld() {
  const directory = tempDirectory();
  copyFileSync(HISTORY, join(directory, "runs.jsonl"));
  copyFileSync(fixture("transcripts/hook-logs/hook-events.jsonl"), join(directory, "hook-events.jsonl"));
  copyFileSync(generatedAdwHistory(80).path, join(directory, "workflow_history.db"));
  // The README approves test:pytest:backend, a candidate in a history of its size; in this one of 12 runs it
  // becomes one under thresholds set, as the README says, in the directory's patternloop.config.json.
  const thresholds = { minOccurrences: 3, minConfidence: 0, minMonthlySavings: 0, minPredictionAccuracy: 0 };
  writeFileSync(
    join(directory, "patternloop.config.json"),
    JSON.stringify({ candidateThresholds: { ...thresholds, minValidatedPredictions: 0 } }),
  );
  const home = join(directory, "home");
  cpSync(fixture("transcripts/projects"), join(home, ".claude", "projects"), { recursive: true });
  const bin = join(directory, "bin");
  mkdirSync(bin);
  writeFileSync(join(bin, "patternloop"), `#!/bin/sh\nexec "${process.execPath}" "${BIN}" "$@"\n`);
  chmodSync(join(bin, "patternloop"), 0o755);
  const env = { ...process.env, HOME: home, PATH: `${bin}:${process.env.PATH}`, NO_COLOR: "1" };
  const shell = (line: string) =>
    spawnSync("sh", ["-c", line], { cwd: directory, env, encoding: "utf8", timeout: 120_000 });
  return { shell };
}

/** One JSON document, or JSON Lines (`detect --json` prints one object per run); throws on anything else. */
function parseJsonOutput(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    const lines = text.split("\n").filter((line) => line.trim() !== "");
    if (lines.length === 0) throw new Error("no output");
    return lines.map((line) => JSON.parse(line));
  }
}

describe("the README's commands", { timeout: 600_000 }, () => {
  it("are found", () => {
    expect(readmeCommands().length).toBeGreaterThan(15);
  });

  it("each run as shown, with stdout a pipe; those that take --json print JSON alone", () => {
    const { shell } = readmeWorld();
    for (const line of readmeCommands()) {
      const takesJson = shell(`${line} --help`).stdout.includes("--json");
      const command = takesJson && !/\s--json\b/.test(line) ? `${line} --json` : line;
      const run = shell(command);
      expect(run.status, `${command}: ${run.stderr}`).toBe(0);
      expect(run.stdout, command).not.toMatch(/^\s*> /);
      if (takesJson)
        expect(() => parseJsonOutput(run.stdout), `${command} printed:\n${run.stdout}`).not.toThrow();
      else expect(run.stdout.length, command).toBeGreaterThan(0);
    }
  });

  it("run in a clone as the README says, pnpm -s patternloop …, print JSON alone", () => {
    const db = join(tempDirectory(), "history.sqlite");
    const pnpm = (args: string[]) =>
      spawnSync("pnpm", args, { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
    expect(README).toContain("`pnpm -s patternloop …`");
    expect(pnpm(["-s", "patternloop", "ingest", "workflows", HISTORY, "--db", db]).status).toBe(0);
    const top = pnpm(["-s", "patternloop", "analyze", "top", "--json", "--db", db]);
    expect(top.status, top.stderr).toBe(0);
    expect(JSON.parse(top.stdout)).toEqual(expect.any(Array));
  });
});
