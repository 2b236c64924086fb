import { join } from "node:path";
import { createDatabase } from "@patternloop/db";
import { changeStatus, promoteCandidates } from "@patternloop/validator";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { runJson, runOk } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";
import { buildValidatedHistory, DIFF, PYTEST, TYPECHECK } from "./support/validated-runs.js";

/** Low enough for the small validated history: pytest (9 runs, 6 of 6 predictions right) qualifies. */
const THRESHOLDS = {
  minOccurrences: 5,
  minConfidence: 0,
  minMonthlySavings: 0,
  minPredictionAccuracy: 0.9,
  minValidatedPredictions: 5,
};

function historyOf(path: string, signature: string) {
  return query(
    path,
    `SELECT h.from_status, h.to_status, h.changed_by, h.note, h.changed_at FROM pattern_status_history h
     JOIN operation_patterns op ON op.id = h.pattern_id WHERE op.pattern_signature = ? ORDER BY h.id`,
    signature,
  );
}

const statusOf = (path: string, signature: string) =>
  query(path, "SELECT automation_status FROM operation_patterns WHERE pattern_signature = ?", signature)[0]
    ?.automation_status;

describe("patternloop review", { timeout: 60_000 }, () => {
  let path: string;
  beforeAll(async () => {
    path = join(tempDirectory(), "review.db");
    await buildValidatedHistory(path, Date.now());
    const database = await createDatabase(path);
    try {
      expect(await promoteCandidates(database, THRESHOLDS)).toEqual([
        { pattern_signature: PYTEST, from: "detected", to: "candidate" },
      ]);
      await changeStatus(database, TYPECHECK, "candidate", { by: "carol", note: "worth a look" });
    } finally {
      await database.close();
    }
  }, 60_000);
  const review = (...args: string[]) => runCli(["review", ...args, "--db", path]);

  it("list shows the candidates with their figures", () => {
    const rows = runJson(["review", "list", "--db", path]);
    expect(rows.map((row: Record<string, unknown>) => row.pattern_signature).sort()).toEqual([
      TYPECHECK,
      PYTEST,
    ]);
    expect(rows.find((row: Record<string, unknown>) => row.pattern_signature === PYTEST)).toMatchObject({
      occurrence_count: 9,
      prediction_accuracy: 1,
      validated_count: 6,
    });
    const table = runOk(["review", "list", "--db", path]).stdout;
    expect(table).toMatch(/^test:pytest:backend\s+9\s+[\d.]+\s+\$[\d.,]+\s+\$[\d.,]+\s+100\.0% of 6\s*$/m);
    expect(runOk(["review", "list", "--status", "active", "--db", path]).stdout).toBe("no active patterns\n");
  });

  it("refuses approval without a note, an unknown status or pattern, an empty reviewer; changes nothing", () => {
    expectRefusal(review("approve", PYTEST, "--by", "alice"), "approving a pattern needs a note saying why");
    expectRefusal(
      review("list", "--status", "shipped"),
      'unknown status "shipped": use one of detected, candidate, approved, implemented, active, deprecated',
    );
    expectRefusal(review("deprecate", "nope:nope:nope", "--by", "alice"), 'no pattern "nope:nope:nope"');
    expectRefusal(review("deprecate", PYTEST, "--by", " "), "a status change needs the name of who makes it");
    expect(statusOf(path, PYTEST)).toBe("candidate");
    expect(historyOf(path, PYTEST)).toHaveLength(1);
  });

  it("refuses an illegal move, naming the legal ones", () => {
    expectRefusal(
      review("activate", PYTEST, "--by", "alice"),
      `${PYTEST} is candidate; it can move to approved or detected or deprecated, not active`,
    );
    expectRefusal(
      review("implement", DIFF, "--by", "alice"),
      `${DIFF} is detected; it can move to candidate or deprecated, not implemented`,
    );
    expect(statusOf(path, PYTEST)).toBe("candidate");
  });

  it("approve → implement → activate → deprecate: each move printed, recorded with who and why", () => {
    const moves = [
      ["approve", "alice", "safe: deterministic, 6 of 6 predictions right", "candidate → approved"],
      ["implement", "bob", "scripts/pytest.sh", "approved → implemented"],
      ["activate", "bob", undefined, "implemented → active"],
      ["deprecate", "carol", "replaced by the CI job", "active → deprecated"],
    ] as const;
    for (const [verb, by, note, printed] of moves) {
      const run = review(verb, PYTEST, "--by", by, ...(note === undefined ? [] : ["--note", note]));
      expect(run.stderr).toBe("");
      expect(run.stdout).toBe(`${PYTEST}: ${printed}\n`);
      expect(run.status).toBe(0);
    }
    expectRefusal(
      review("approve", PYTEST, "--by", "alice", "--note", "again"),
      `${PYTEST} is deprecated; it can move to nowhere, not approved`,
    );

    const history = historyOf(path, PYTEST);
    expect(history.map(({ changed_at: _at, ...row }) => row)).toEqual([
      {
        from_status: "detected",
        to_status: "candidate",
        changed_by: "patternloop",
        note: expect.any(String),
      },
      ...moves.map(([, by, note, printed]) => {
        const [from, to] = printed.split(" → ");
        return { from_status: from, to_status: to, changed_by: by, note: note ?? null };
      }),
    ]);
    expect(history[0]?.note).toMatch(/^9 runs, .*prediction accuracy 100\.0% over 6 validations$/);
    const times = history.map((row) => row.changed_at as string);
    expect(times).toEqual([...times].sort());
    expect(runJson(["analyze", "details", PYTEST, "--db", path]).pattern.automation_status).toBe(
      "deprecated",
    );
    expect(runJson(["review", "list", "--status", "deprecated", "--db", path])).toHaveLength(1);
  });

  it("reject sends a candidate back to detected", () => {
    const run = review("reject", TYPECHECK, "--by", "alice", "--note", "flaky in CI");
    expect(run.stdout).toBe(`${TYPECHECK}: candidate → detected\n`);
    expect(historyOf(path, TYPECHECK).map((row) => [row.to_status, row.changed_by, row.note])).toEqual([
      ["candidate", "carol", "worth a look"],
      ["detected", "alice", "flaky in CI"],
    ]);
  });
});
