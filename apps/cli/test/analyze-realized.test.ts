import { spawnSync } from "node:child_process";
import { closeSync, openSync } from "node:fs";
import { join } from "node:path";
import { createDatabase, recordToolScript } from "@patternloop/db";
import { changeStatus } from "@patternloop/validator";
import { beforeAll, describe, expect, it } from "vitest";
import { BIN, runCli } from "./run-cli.js";
import { runJson, runOk } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { tempDirectory } from "./support/temp-directory.js";

const PATTERN = "test:pytest:backend";
const SCRIPT = ".claude/skills/test-pytest-backend/run.sh";
/** Half way through the default 30 days from 2026-01-05. */
const ACTIVATION = "2026-01-20T08:00:00.000Z";

/**
 * A generated history of `runs` runs where, from {@link ACTIVATION} on, the agent runs the script instead of
 * pytest in a share `effect` of the runs that test the back end; backfilled, the pattern approved, then
 * marked implemented at the activation with its script recorded, as a reviewer would.
 */
async function historyWithEffect(effect: number, seed: number, activation = ACTIVATION, runs = 600) {
  const directory = tempDirectory();
  const file = join(directory, "history.jsonl");
  const db = join(directory, "history.db");
  const out = openSync(file, "w");
  const generated = spawnSync(
    process.execPath,
    [
      BIN,
      "generate",
      "--runs",
      String(runs),
      "--seed",
      String(seed),
      "--activate",
      `${PATTERN}@${activation}`,
      "--effect",
      String(effect),
      "--script",
      SCRIPT,
    ],
    { stdio: ["ignore", out, "pipe"], encoding: "utf8" },
  );
  closeSync(out);
  expect(generated.status, generated.stderr).toBe(0);
  runOk(["ingest", "workflows", file, "--db", db]);
  // Without the replay of predictions, which could promote the pattern itself: the test moves it.
  runOk(["backfill", "--no-replay", "--db", db]);
  const database = await createDatabase(db);
  try {
    await changeStatus(database, PATTERN, "candidate", { by: "patternloop" });
    await changeStatus(database, PATTERN, "approved", { by: "alice", note: "the same command every time" });
  } finally {
    await database.close();
  }
  runOk(["review", "implement", PATTERN, "--by", "alice", "--at", activation, "--db", db]);
  const recorded = await createDatabase(db);
  try {
    expect(await recordToolScript(recorded.db, PATTERN, SCRIPT)).toBe(true);
  } finally {
    await recorded.close();
  }
  return db;
}

describe("patternloop analyze realized", { timeout: 120_000 }, () => {
  // The same history with and without the effect: the swapped runs are the only difference.
  let withEffect: string;
  let withoutEffect: string;
  beforeAll(async () => {
    withEffect = await historyWithEffect(0.6, 6);
    withoutEffect = await historyWithEffect(0, 6);
  }, 120_000);

  it("recovers a known effect of 0.6 within its interval", () => {
    const [row, ...others] = runJson(["analyze", "realized", "--db", withEffect]);
    // What the script took off per run, measured against the same runs without it.
    const [counterfactual] = runJson(["analyze", "realized", "--db", withoutEffect]);
    const removed = counterfactual.after.cost_per_run - row.after.cost_per_run;
    expect(removed).toBeGreaterThan(0);
    expect(row.interval.lower).toBeLessThan(removed);
    expect(row.interval.upper).toBeGreaterThan(removed);
    expect(others).toEqual([]);
    expect(row).toMatchObject({ pattern_signature: PATTERN, activated_at: ACTIVATION, verdict: "saving" });
    expect(row.before.script_runs).toBe(0);
    expect(row.after.script_share).toBeGreaterThan(0.45);
    expect(row.after.script_share).toBeLessThan(0.75);
    expect(row.interval.lower).toBeGreaterThan(0);
    expect(row.relative_interval.lower).toBeLessThan(0.6);
    expect(row.relative_interval.upper).toBeGreaterThan(0.6);
    const human = runOk(["analyze", "realized", "--db", withEffect]).stdout;
    expect(human).toMatch(/^saving: \$0\.\d{4} per run \(interval \$0\.\d{4} to \$0\.\d{4}\)/m);
    expect(human).toContain(`${PATTERN} — implemented since 2026-01-20, script ${SCRIPT}`);
  });

  it("reports no saving when the effect is 0", () => {
    const [row] = runJson(["analyze", "realized", "--db", withoutEffect]);
    // By chance this history costs less per run after the activation: noise that must not read as a saving.
    expect(row.saving_per_run).toBeGreaterThan(0);
    expect(row.after.script_runs).toBe(0);
    expect(row.verdict).toBe("no_saving_shown");
    expect(row.interval.lower).toBeLessThan(0);
    expect(row.interval.upper).toBeGreaterThan(0);
    const human = runOk(["analyze", "realized", "--db", withoutEffect]).stdout;
    expect(human).not.toMatch(/^saving:/m);
    expect(human).toMatch(/^no saving shown: the interval of the saving per run \(.+\) includes 0$/m);
  });

  it("says not enough runs yet when few runs follow the activation", async () => {
    const db = await historyWithEffect(0.6, 6, "2026-02-04T00:00:00.000Z");
    const [row] = runJson(["analyze", "realized", "--db", db]);
    expect(row.after.runs).toBeLessThan(20);
    expect(row.verdict).toBe("not_enough_runs");
    expect(runOk(["analyze", "realized", "--db", db]).stdout).toMatch(
      /^not enough runs yet: fewer than 20 runs on one side of the activation$/m,
    );
    expectRefusal(
      runCli(["review", "activate", PATTERN, "--by", "alice", "--at", "soon", "--db", db]),
      "a status change time must be an ISO time not in the future",
    );
  });

  it("refuses a bad activation or status change time in one line", () => {
    expectRefusal(
      runCli(["generate", "--runs", "5", "--activate", "test:pytest:backend", "--effect", "0.5"]),
      "--activate takes <signature>@<ISO time>",
    );
    expectRefusal(
      runCli(["generate", "--runs", "5", "--activate", `${PATTERN}@${ACTIVATION}`, "--effect", "1.5"]),
      "--effect takes a share from 0 to 1",
    );
    expectRefusal(
      runCli(["generate", "--runs", "5", "--effect", "0.5"]),
      "--effect and --script go with --activate",
    );
  });
});
