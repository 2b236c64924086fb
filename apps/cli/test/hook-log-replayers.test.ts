import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDatabase } from "@patternloop/db";
import { storedReplay } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { fixture } from "./run-cli.js";
import { runJson } from "./support/history.js";
import { freshSchema, PG_URL, schemaUrl } from "./support/postgres.js";
import { tempDirectory } from "./support/temp-directory.js";

/** Three real sessions (Claude Code's own payloads with `_seq`, `_order` and `_repo` added by whoever logged them). */
const FIXTURE = fixture("transcripts/hook-logs/hook-events.jsonl");
const ROOT = fileURLToPath(new URL("../../../", import.meta.url));
const TSX = join(ROOT, "node_modules", ".bin", "tsx");
const ENGINES = PG_URL === undefined ? (["sqlite"] as const) : (["sqlite", "postgres"] as const);

/**
 * The fixture log, with one prompt typed again at the end of its session: the same payload on another line,
 * which is a second prompt (a second run), not the first one delivered twice.
 */
function logWithRepeatedPrompt(directory: string): { file: string; prompts: number } {
  const lines = readFileSync(FIXTURE, "utf8")
    .split("\n")
    .filter((line) => line.trim() !== "");
  const events = lines.map((line) => JSON.parse(line) as Record<string, unknown>);
  const prompt = events.find((event) => event.hook_event_name === "UserPromptSubmit") as Record<
    string,
    unknown
  >;
  const session = events.filter((event) => event.session_id === prompt.session_id);
  const lastSeq = Math.max(...session.map((event) => event._seq as number));
  const file = join(directory, "hooks.jsonl");
  writeFileSync(file, `${[...lines, JSON.stringify({ ...prompt, _seq: lastSeq + 1 })].join("\n")}\n`);
  const prompts = events.filter((event) => event.hook_event_name === "UserPromptSubmit").length + 1;
  return { file, prompts };
}

/** What a replay stored, and the deliveries the receiver remembers. */
async function storedRuns(url: string) {
  const stored = await storedReplay(url);
  const database = await createDatabase(url);
  try {
    const { db } = database;
    return {
      ...stored,
      deliveries: (await db.selectFrom("hook_deliveries").select("digest").orderBy("digest").execute()).map(
        (row) => row.digest,
      ),
    };
  } finally {
    await database.close();
  }
}

for (const engine of ENGINES)
  describe(`one hook log, two replayers (${engine})`, { timeout: 300_000 }, () => {
    const newUrl = (directory: string, name: string) =>
      engine === "sqlite" ? join(directory, `${name}.sqlite`) : schemaUrl(freshSchema());

    it("ingest hooks and scripts/replay-hooks.ts (over HTTP) store the same runs from the same log", async () => {
      const directory = tempDirectory();
      const { file, prompts } = logWithRepeatedPrompt(directory);

      const viaCli = newUrl(directory, "cli");
      // Left open: the HTTP replay has no idle time to close a session's last run at.
      runJson(["ingest", "hooks", file, "--db", viaCli, "--leave-open"]);
      const viaHttp = newUrl(directory, "http");
      // The script replays the log twice and exits 1 if the second replay changed anything.
      const script = spawnSync(TSX, ["scripts/replay-hooks.ts", "--file", file, "--db", viaHttp], {
        cwd: ROOT,
        encoding: "utf8",
        timeout: 240_000,
      });
      expect(script.status, `${script.stdout}\n${script.stderr}`).toBe(0);
      expect(script.stdout).toMatch(/second replay changed nothing/);

      const cli = await storedRuns(viaCli);
      expect(await storedRuns(viaHttp)).toEqual(cli);
      // The prompt typed twice is two runs either way.
      expect(cli.runs.filter((run) => run.nl_input !== null)).toHaveLength(prompts);
      // Named from the payload Claude Code sent, not from what the log added to it.
      const again = runJson(["ingest", "hooks", file, "--db", viaHttp, "--leave-open"]);
      expect(again).toMatchObject({ runs: 0, tool_calls: 0 });
      expect(again.events).toMatchObject({ started: 0, tool_call: 0, completed: 0 });
      expect(await storedRuns(viaHttp)).toEqual(cli);
    });
  });
