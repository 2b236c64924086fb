import { join } from "node:path";
import { storedReplay } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { fixture } from "./run-cli.js";
import { runJson } from "./support/history.js";
import { type HookLogVariant, writeHookLogVariant } from "./support/hook-log-variants.js";
import { freshSchema, PG_URL, schemaUrl } from "./support/postgres.js";
import { sharedDataFile } from "./support/shared-data.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Three real sessions: one leaves its last run open (no Stop), as most real sessions do. */
const FIXTURE = fixture("transcripts/hook-logs/hook-events.jsonl");
// Opt-in: the permissive real-world hook log (222 sessions) is not shipped with the repository.
const PERMISSIVE = sharedDataFile("realworld-permissive/hook_events.jsonl");
if (!PERMISSIVE.present)
  console.log(
    `realworld-permissive hook log absent (${PERMISSIVE.path}; set PATTERNLOOP_SHARED_DATA): its replay variants are skipped (the fixture log's still run)`,
  );

const ENGINES = PG_URL === undefined ? (["sqlite"] as const) : (["sqlite", "postgres"] as const);
// The fixture log covers both engines. The permissive log (9,686 events, about 30,000 with its variants) runs
// on SQLite only: on PostgreSQL, one hook at a time over the network, it took four minutes of the suite for
// no behaviour the fixture log does not already check there.
const LOGS = [
  { name: "the fixture hook log", file: FIXTURE, present: true, engines: ENGINES },
  {
    name: "the realworld-permissive hook log",
    file: PERMISSIVE.path,
    present: PERMISSIVE.present,
    engines: ["sqlite"] as const,
  },
];

for (const log of LOGS)
  for (const engine of log.engines)
    describe.runIf(log.present)(
      `ingest hooks of ${log.name} leaves no run running (${engine})`,
      {
        timeout: 900_000,
      },
      () => {
        /** Replays a variant of the log into a new database; returns the summary and what was stored. */
        async function replay(variant: HookLogVariant) {
          const directory = tempDirectory();
          const file = writeHookLogVariant(log.file, variant, directory);
          const url = engine === "sqlite" ? join(directory, "history.sqlite") : schemaUrl(freshSchema());
          const summary = runJson(["ingest", "hooks", file, "--db", url]);
          const stored = await storedReplay(url);
          expect(
            stored.runs.filter((run) => run.status === "running"),
            variant,
          ).toEqual([]);
          expect(stored.runs.length, variant).toBeGreaterThan(0);
          // Every run is finished and its patterns recorded: backfill has nothing left to do.
          expect(runJson(["backfill", "--db", url]), variant).toMatchObject({
            processed: 0,
            already_processed: stored.runs.length,
          });
          return { summary, stored };
        }

        it("as is and with every event delivered twice, the same runs, tool calls and occurrences", async () => {
          const once = await replay("as is");
          expect(once.summary.closed_idle).toBeGreaterThan(0);
          const twice = await replay("every event twice");
          expect(twice.stored).toEqual(once.stored);
          expect(twice.summary.closed_idle).toBe(once.summary.closed_idle);
        });

        it("with the Stop events dropped", async () => {
          const { summary, stored } = await replay("Stop dropped");
          // Without Stop, the last run of every session with a prompt is closed for its quiet.
          expect(summary.closed_idle).toBeGreaterThan(0);
          expect(stored.runs.every((run) => run.error_message === null)).toBe(true);
        });

        it("shuffled within sessions", async () => {
          await replay("shuffled within sessions");
        });
      },
    );

describe("ingest hooks --leave-open", { timeout: 120_000 }, () => {
  it("leaves running the runs still open at the end of the log", async () => {
    const db = join(tempDirectory(), "history.sqlite");
    const summary = runJson(["ingest", "hooks", FIXTURE, "--db", db, "--leave-open"]);
    expect(summary.closed_idle).toBe(0);
    const stored = await storedReplay(db);
    expect(stored.runs.filter((run) => run.status === "running").length).toBeGreaterThan(0);
  });
});
