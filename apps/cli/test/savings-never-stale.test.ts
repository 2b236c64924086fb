import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { fixture, runCli } from "./run-cli.js";
import { freshSchema, PG_URL, schemaUrl } from "./support/postgres.js";
import { serveChild } from "./support/serve-child.js";
import { tempDirectory } from "./support/temp-directory.js";

/** The permissive sample of real runs (July 2025 to July 2026) and a hook log of three real sessions. */
const SAMPLE = fileURLToPath(new URL("../sample/workflows.jsonl", import.meta.url));
const HOOKS = fixture("transcripts/hook-logs/hook-events.jsonl");
const TOKEN = "savings-token-4c2e";

type Row = Record<string, unknown>;

/** A database of each engine, with the sample ingested and backfilled. */
const ENGINES = [
  { name: "sqlite", url: () => join(tempDirectory(), "history.db") },
  ...(PG_URL === undefined ? [] : [{ name: "postgres", url: () => schemaUrl(freshSchema()) }]),
];

function ok(args: string[]): string {
  const run = runCli(args);
  expect(run.stderr + run.stdout, args.join(" ")).not.toMatch(/VIOLATION/);
  expect(run.status, `${args.join(" ")}: ${run.stderr}`).toBe(0);
  return run.stdout;
}

function backfilledSample(url: string): void {
  ok(["ingest", "workflows", SAMPLE, "--db", url]);
  ok(["backfill", "--db", url]);
}

/**
 * `check` passes, and `high-value` shows figures computed over one span: every pattern's savings over its
 * saving per use times its uses give the same months. Returns the days of that span.
 */
function expectCurrentSavings(url: string): number {
  expect(ok(["check", "--db", url])).toContain("integrity: ok");
  const shown = JSON.parse(ok(["analyze", "high-value", "--db", url, "--json", "--limit", "1000"])) as Row[];
  const spans = shown
    .filter((row) => (row.potential_monthly_savings as number) > 0)
    .map(
      (row) =>
        (30 * (row.avg_cost_with_llm as number) * 0.95 * (row.occurrence_count as number)) /
        (row.potential_monthly_savings as number),
    );
  expect(spans.length).toBeGreaterThan(10);
  for (const days of spans) expect(days).toBeCloseTo(spans[0] as number, 6);
  return spans[0] as number;
}

async function post(base: string, path: string, body: unknown): Promise<number> {
  const response = await fetch(`${base}${path}`, {
    method: "POST",
    headers: { authorization: `Bearer ${TOKEN}`, "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  await response.text();
  return response.status;
}

for (const engine of ENGINES) {
  describe(`monthly savings are never stale (${engine.name})`, { timeout: 240_000 }, () => {
    it("after ingest hooks of a hook log onto the backfilled sample", () => {
      const url = engine.url();
      backfilledSample(url);
      ok(["ingest", "hooks", HOOKS, "--db", url]);
      expectCurrentSavings(url);
    });

    it("after serve receives a completion dated later than the history, and a backfill after it", async () => {
      const url = engine.url();
      backfilledSample(url);
      const before = expectCurrentSavings(url);
      const server = await serveChild(url, TOKEN);
      try {
        expect(
          await post(server.base, "/v1/runs", {
            workflow_id: "live-later",
            nl_input: "show what changed",
            start_time: "2027-03-01T10:00:00Z",
          }),
        ).toBe(201);
        expect(
          await post(server.base, "/v1/runs/live-later/complete", {
            status: "completed",
            end_time: "2027-03-01T10:05:00Z",
            total_tokens: 20_000,
            actual_cost_total: 0.4,
            tool_calls: [{ tool_name: "Bash", tool_input: { command: "git diff --stat" } }],
          }),
        ).toBe(200);
      } finally {
        await server.stop();
      }
      // The history now reaches into March 2027: every pattern's monthly rate is spread over it.
      expect(expectCurrentSavings(url)).toBeGreaterThan(before + 200);
      ok(["backfill", "--db", url]);
      expectCurrentSavings(url);
    });

    it("after serve receives the hook payloads of a session (its Stop ends a run dated now)", async () => {
      const url = engine.url();
      backfilledSample(url);
      const payloads = readFileSync(HOOKS, "utf8")
        .trim()
        .split("\n")
        .map((line) => JSON.parse(line) as { session_id: string; hook_event_name: string });
      const stopped = payloads.find((payload) => payload.hook_event_name === "Stop")?.session_id;
      expect(stopped).toBeDefined();
      const server = await serveChild(url, TOKEN);
      try {
        for (const payload of payloads.filter((payload) => payload.session_id === stopped))
          expect(await post(server.base, "/v1/hooks/claude-code", payload)).toBeLessThan(300);
      } finally {
        await server.stop();
      }
      expectCurrentSavings(url);
    });
  });
}
