/**
 * How long Claude Code waits for patternloop's answer to its hooks: sends sessions of hook events (a prompt,
 * tool calls, a Stop, one after the other as Claude Code does) to a real server on a fresh SQLite file and
 * prints the answer time by event.
 *
 *   pnpm build && npx tsx scripts/hook-latency.ts [--api path/to/apps/api/dist/index.js] [--sessions 8] [--calls 20] [--gap 0]
 *
 * `--gap` is the pause between two events in milliseconds (Claude Code's tool calls are seconds apart; 0 sends
 * them back to back, so each answer may wait for the work the previous event left).
 * `--api` takes the built `@patternloop/api` of another checkout, to compare two versions on one machine.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { pathToFileURL } from "node:url";

function option(name: string, fallback: string): string {
  const at = process.argv.indexOf(`--${name}`);
  return at === -1 ? fallback : (process.argv[at + 1] ?? fallback);
}

const sessions = Number(option("sessions", "8"));
const calls = Number(option("calls", "20"));
const apiPath = option("api", "");
const gapMs = Number(option("gap", "0"));

type StartServer = (options: Record<string, unknown>) => Promise<{ url: string; close(): Promise<unknown> }>;

function events(s: number): Record<string, unknown>[] {
  const session = `1a7e0c00-0000-4000-8000-${String(s).padStart(12, "0")}`;
  const base = {
    session_id: session,
    cwd: "/work/repo",
    transcript_path: `/home/u/.claude/projects/-work-repo/${session}.jsonl`,
  };
  return [
    {
      ...base,
      hook_event_name: "UserPromptSubmit",
      permission_mode: "default",
      prompt: `run the backend tests of part ${s}`,
    },
    ...Array.from({ length: calls }, (_, c) => ({
      ...base,
      hook_event_name: "PostToolUse",
      permission_mode: "default",
      tool_name: "Bash",
      tool_input: {
        command: c % 2 === 0 ? "cd app/server && uv run pytest -q" : `git diff --stat HEAD~${c}`,
      },
      tool_response: { stdout: "3 passed".repeat(50), stderr: "", interrupted: false, isImage: false },
      tool_use_id: `toolu_${s}_${c}`,
    })),
    { ...base, hook_event_name: "Stop", permission_mode: "default", stop_hook_active: false },
  ];
}

const quantile = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;

async function main() {
  const api = (await import(apiPath === "" ? "@patternloop/api" : pathToFileURL(resolve(apiPath)).href)) as {
    startServer: StartServer;
  };
  const directory = mkdtempSync(join(tmpdir(), "patternloop-hook-latency-"));
  const token = randomBytes(16).toString("hex");
  const server = await api.startServer({
    databaseUrl: join(directory, "latency.sqlite"),
    port: 0,
    token,
    log: () => {},
  });
  const times = new Map<string, number[]>();
  try {
    for (let s = 0; s < sessions; s++)
      for (const event of events(s)) {
        const started = performance.now();
        const response = await fetch(`${server.url}/v1/hooks/claude-code`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${token}` },
          body: JSON.stringify(event),
        });
        await response.arrayBuffer();
        const ms = performance.now() - started;
        if (response.status !== 200) throw new Error(`HTTP ${response.status}`);
        const name = String(event.hook_event_name);
        times.set(name, [...(times.get(name) ?? []), ms]);
        if (gapMs > 0) await new Promise((done) => setTimeout(done, gapMs));
      }
  } finally {
    await server.close();
    rmSync(directory, { recursive: true, force: true });
  }
  console.log(
    `${apiPath || "this checkout"}: ${sessions} sessions of 1 prompt, ${calls} tool calls, 1 Stop; ${gapMs} ms between events`,
  );
  for (const [name, list] of times) {
    const sorted = [...list].sort((a, b) => a - b);
    const mean = list.reduce((a, b) => a + b, 0) / list.length;
    console.log(
      `  ${name.padEnd(17)} n=${String(list.length).padStart(4)}  median ${quantile(sorted, 0.5).toFixed(1)} ms  p95 ${quantile(sorted, 0.95).toFixed(1)} ms  max ${(sorted.at(-1) ?? 0).toFixed(1)} ms  mean ${mean.toFixed(1)} ms`,
    );
  }
}

await main();
