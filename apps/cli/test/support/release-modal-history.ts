import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fixture } from "../run-cli.js";
import { runOk } from "./history.js";
import { freshSchema, schemaUrl } from "./postgres.js";
import { tempDirectory } from "./temp-directory.js";

/**
 * Forty completed runs, one every four hours from 2026-02-02: requests mentioning "release" run `git log` and
 * `git push`, requests mentioning "modal" run `cd app/client && npx vitest run`. Two runs (rm-10, rm-21) have
 * no start or end time. From {@link FUTURE_FROM} on, every run is a release that also runs prettier: that
 * pattern appears nowhere earlier. No run ever runs pytest.
 */
export const RELEASE_MODAL_HISTORY = fixture("release-modal-history.jsonl");
export const RELEASE_MODAL_RUNS = 40;
export const RUNS_WITHOUT_TIMES = 2;

/** The start of rm-31, the first run with `format:prettier:all`. */
export const FUTURE_FROM = "2026-02-07T01:00:00Z";
/** The pattern only runs starting at or after {@link FUTURE_FROM} have, and all of them have it. */
export const FUTURE_PATTERN = "format:prettier:all";

/** Runs per signature in the fixture (runs without times included). */
export const RELEASE_MODAL_PATTERNS: Record<string, number> = {
  "git:log:summary": 25,
  "git:push:summary": 25,
  "test:vitest:frontend": 15,
  "format:prettier:all": 10,
};

/** A new SQLite file with the fixture's runs that `keep` accepts, ingested and backfilled by the CLI. */
export function releaseModalDatabase(keep: (run: { start_time: string | null }) => boolean = () => true) {
  const directory = tempDirectory();
  const lines = readFileSync(RELEASE_MODAL_HISTORY, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "" && keep(JSON.parse(line)));
  const file = join(directory, "runs.jsonl");
  writeFileSync(file, `${lines.join("\n")}\n`);
  const path = join(directory, "history.db");
  runOk(["ingest", "workflows", file, "--db", path]);
  runOk(["backfill", "--db", path]);
  return { path, runs: lines.length };
}

/** A new PostgreSQL schema holding the whole fixture, ingested and backfilled by the CLI; its URL. */
export function releaseModalPostgres(): string {
  const url = schemaUrl(freshSchema());
  runOk(["ingest", "workflows", RELEASE_MODAL_HISTORY, "--db", url]);
  runOk(["backfill", "--db", url]);
  return url;
}
