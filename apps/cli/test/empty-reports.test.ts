import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { backfilledHistory, ingestedHistory, runOk } from "./support/history.js";
import { tempDirectory } from "./support/temp-directory.js";

/** An empty report: nothing on stdout (or `json` with --json), exit 0, and one line on stderr saying why. */
function expectEmpty(args: string[], why: string | RegExp, json: unknown = []): void {
  const human = runCli(args);
  expect(human.status, human.stderr).toBe(0);
  expect(human.stdout).toBe("");
  expect(human.stderr).toMatch(/^[^\n]+\n$/);
  if (typeof why === "string") expect(human.stderr).toContain(why);
  else expect(human.stderr).toMatch(why);
  const machine = runCli([...args, "--json"]);
  expect(machine.status, machine.stderr).toBe(0);
  expect(JSON.parse(machine.stdout)).toMatchObject(json as object);
  expect(machine.stderr).toBe(human.stderr);
}

const ACCURACY_JSON = { total_validations: 0, patterns: [] };
const COVERAGE_JSON = { runs_with_predictions: 0 };

describe("empty reports say why and what to run", { timeout: 120_000 }, () => {
  let noRuns: string;
  let ingested: string;
  let notReplayed: string;
  let backfilled: string;
  beforeAll(() => {
    const directory = tempDirectory();
    const empty = join(directory, "none.jsonl");
    writeFileSync(empty, "");
    noRuns = join(directory, "none.db");
    runOk(["ingest", "workflows", empty, "--db", noRuns]);
    ingested = ingestedHistory().path;
    notReplayed = ingestedHistory().path;
    runOk(["backfill", "--db", notReplayed, "--no-replay"]);
    backfilled = backfilledHistory().path;
  }, 120_000);

  const validationReports: [string, unknown][] = [
    ["accuracy", ACCURACY_JSON],
    ["trend", []],
    ["reliable", []],
    ["by-type", []],
    ["coverage", COVERAGE_JSON],
  ];

  it.each(validationReports)("analyze %s on a history without runs: load some", (report, json) => {
    expectEmpty(
      ["analyze", report, "--db", noRuns],
      `no completed runs in the history yet: load some with \`patternloop ingest workflows FILE --db ${noRuns}\``,
      json,
    );
  });

  it.each(validationReports)("analyze %s before any backfill: run backfill", (report, json) => {
    expectEmpty(
      ["analyze", report, "--db", ingested],
      `no patterns recorded yet among 11 completed runs: run \`patternloop backfill --db ${ingested}\``,
      json,
    );
  });

  it.each(validationReports)("analyze %s without predictions: backfill replays them", (report, json) => {
    expectEmpty(
      ["analyze", report, "--db", notReplayed],
      /^(no predictions yet|none of the 11 completed runs had predictions): `patternloop backfill --db \S+` replays them over the history/,
      json,
    );
  });

  it.each(["top", "high-value", "recent"])("analyze %s before any backfill: run backfill", (report) => {
    expectEmpty(["analyze", report, "--db", ingested], `run \`patternloop backfill --db ${ingested}\``);
  });

  it("analyze realized without implemented patterns says how to mark one", () => {
    expectEmpty(["analyze", "realized", "--db", backfilled], "mark one with `patternloop review implement`");
  });

  it("a filter that leaves nothing says which options to loosen", () => {
    expectEmpty(
      ["analyze", "reliable", "--db", backfilled, "--min-accuracy", "1", "--min-occurrences", "1000"],
      "lower them to see more",
    );
  });

  it("a URL given as --db is not repeated in the hint: it may hold a password", () => {
    const run = runCli(["analyze", "top", "--db", `sqlite://${ingested}`]);
    expect(run.stderr).toContain("run `patternloop backfill --db …`");
  });

  it("reports with rows print them on stdout as before", () => {
    expect(runOk(["analyze", "accuracy", "--db", backfilled]).stdout).toContain("overall accuracy");
    expect(runOk(["analyze", "trend", "--db", backfilled, "--days", "3650"]).stdout).toContain("validations");
  });
});
