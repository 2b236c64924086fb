import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { runJson, runOk } from "./support/history.js";
import { PG_URL } from "./support/postgres.js";
import { expectRefusal } from "./support/refusal.js";
import { releaseModalDatabase, releaseModalPostgres } from "./support/release-modal-history.js";
import { tempDirectory } from "./support/temp-directory.js";

interface Prediction {
  signature: string;
  confidence: number;
  reason: string;
}

describe("patternloop predict", { timeout: 60_000 }, () => {
  let path: string;
  beforeAll(() => {
    path = releaseModalDatabase().path;
  }, 60_000);
  const predict = (request: string, ...args: string[]): Prediction[] =>
    runJson(["predict", request, "--db", path, ...args]);
  const bySignature = (predictions: Prediction[]) =>
    new Map(predictions.map((prediction) => [prediction.signature, prediction]));

  it("--json: what a release request is expected to do, as [{signature, confidence, reason}]", () => {
    const predictions = predict("ship the release");
    for (const prediction of predictions) {
      expect(Object.keys(prediction).sort()).toEqual(["confidence", "reason", "signature"]);
      expect(prediction.confidence).toBeGreaterThanOrEqual(0);
      expect(prediction.confidence).toBeLessThanOrEqual(100);
      expect(prediction.reason).not.toBe("");
    }
    const found = bySignature(predictions);
    for (const signature of ["git:log:summary", "git:push:summary"]) {
      expect(found.get(signature)?.confidence, signature).toBeGreaterThan(80);
      expect(found.get(signature)?.reason, signature).toMatch(
        /likely from 40 past runs \(in 25\).*"release"/,
      );
    }
    expect(found.has("test:vitest:frontend")).toBe(false);
    const confidences = predictions.map((prediction) => prediction.confidence);
    expect(confidences).toEqual([...confidences].sort((a, b) => b - a));
  });

  it("learns the modal requests apart from the release ones", () => {
    const [first, ...rest] = predict("Fix the checkout modal");
    expect(first?.signature).toBe("test:vitest:frontend");
    expect(first?.reason).toContain('"modal"');
    expect(rest.map((prediction) => prediction.signature)).not.toContain("git:push:summary");
  });

  it("prints a table of pattern, confidence and reason", () => {
    const lines = runOk(["predict", "ship the release", "--db", path]).stdout.split("\n");
    expect(lines[0]).toMatch(/^pattern\s+confidence\s+reason\s*$/);
    for (const signature of ["git:log:summary", "git:push:summary"]) {
      expect(lines.find((line) => line.startsWith(signature))).toMatch(
        new RegExp(`^${signature}\\s+\\d+\\s+\\d+% likely from 40 past runs`),
      );
    }
  });

  it("predicts a pattern the request names before the history has ever shown it", () => {
    const pytest = bySignature(predict("run pytest on the backend")).get("test:pytest:backend");
    expect(pytest).toEqual({
      signature: "test:pytest:backend",
      confidence: 50,
      reason: "named in the request; not seen in the history yet",
    });
    const table = runOk(["predict", "run pytest on the backend", "--db", path]).stdout;
    expect(table).toMatch(/test:pytest:backend\s+50\s+named in the request; not seen in the history yet/);
  });

  it("--template counts: a template naming one operation adds it", () => {
    const plain = predict("ship the release").map((prediction) => prediction.signature);
    const templated = predict("ship the release", "--template", "adw_pytest_iso");
    expect(plain).not.toContain("test:pytest:backend");
    expect(templated.map((prediction) => prediction.signature)).toEqual(
      expect.arrayContaining(["git:log:summary", "git:push:summary", "test:pytest:backend"]),
    );
  });
});

describe.skipIf(PG_URL === undefined)("patternloop predict on PostgreSQL", { timeout: 120_000 }, () => {
  it("learns the same history in the same order as on SQLite, so it predicts the same", () => {
    const url = releaseModalPostgres();
    const sqlite = releaseModalDatabase().path;
    // The runs without times (rm-10, rm-21) must be learned first on both engines, as trainPredictor says.
    for (const request of ["ship the release", "Fix the checkout modal"]) {
      expect(runJson(["predict", request, "--db", url]), request).toEqual(
        runJson(["predict", request, "--db", sqlite]),
      );
    }
  });
});

describe("patternloop predict refuses bad input", { timeout: 60_000 }, () => {
  it("without a database", () => {
    const run = runCli(["predict", "ship the release"], { env: { PATTERNLOOP_DB: "" } });
    expectRefusal(run, "no database: pass --db URL");
  });

  it("with a database file that does not exist", () => {
    const path = join(tempDirectory(), "missing.db");
    expectRefusal(runCli(["predict", "ship the release", "--db", path]), `no SQLite database at ${path}`);
  });

  it("without a request", () => {
    const run = runCli(["predict", "--db", join(tempDirectory(), "history.db")]);
    expect(run.status).toBe(2);
    expect(run.stdout).toBe("");
    // commander names the missing argument, then shows the command's usage.
    expect(run.stderr.split("\n")[0]).toBe("error: missing required argument 'request'");
  });
});
