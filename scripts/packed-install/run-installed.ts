import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";

/** Runs a command to its end, for up to `timeoutMs`; throws with its output when it fails. */
export function runOk(command: string, args: readonly string[], cwd: string, timeoutMs = 300_000): string {
  const result = spawnSync(command, args, { cwd, encoding: "utf8", timeout: timeoutMs });
  if (result.error !== undefined && "code" in result.error && result.error.code === "ETIMEDOUT")
    throw new Error(`${command} ${args.join(" ")} did not finish within ${timeoutMs / 60_000} minutes`);
  if (result.status !== 0)
    throw new Error(
      `${command} ${args.join(" ")} (in ${cwd}) exited ${result.status ?? result.signal}:\n${result.stderr}${result.stdout}`,
    );
  return result.stdout;
}

/** Two workflow records, enough for `ingest` and `analyze` to have something to say. */
const RECORDS = [1, 2]
  .map((n) =>
    JSON.stringify({
      workflow_id: `packed-${n}`,
      nl_input: "Fix the failing tests",
      status: "completed",
      start_time: `2026-01-0${n}T10:00:00Z`,
      end_time: `2026-01-0${n}T10:05:00Z`,
      tool_calls: [{ tool_name: "Bash", tool_input: { command: "cd app/server && uv run pytest -q" } }],
    }),
  )
  .join("\n");

/**
 * Runs the installed CLI as a user would, from a directory of its own (not the project that installed it):
 * `--version`, `-V`, `demo`, `ingest` then `analyze top --json`, and `serve` answering its health route.
 * `bin` is the installed `patternloop`. Returns the lines it checked.
 */
export async function checkInstalledCli(bin: string, version: string, workDir: string): Promise<string[]> {
  mkdirSync(workDir, { recursive: true });
  const said: string[] = [];
  for (const flag of ["--version", "-V"]) {
    const printed = runOk(bin, [flag], workDir).trim();
    if (printed !== version) throw new Error(`patternloop ${flag} printed "${printed}", not ${version}`);
  }
  said.push(`--version and -V print ${version}`);
  const demo = runOk(bin, ["demo", "--db", "demo.sqlite"], workDir);
  if (!demo.includes("Most valuable to script")) throw new Error(`patternloop demo printed:\n${demo}`);
  said.push("demo builds demo.sqlite from the shipped sample and prints its analysis");
  writeFileSync(join(workDir, "runs.jsonl"), `${RECORDS}\n`);
  runOk(bin, ["ingest", "workflows", "runs.jsonl", "--db", "history.sqlite"], workDir);
  runOk(bin, ["backfill", "--db", "history.sqlite"], workDir);
  const top = JSON.parse(runOk(bin, ["analyze", "top", "--json", "--db", "history.sqlite"], workDir));
  if (!JSON.stringify(top).includes("test:pytest:backend"))
    throw new Error(`analyze top --json after ingest and backfill: ${JSON.stringify(top)}`);
  said.push("ingest workflows, backfill and analyze top --json find test:pytest:backend");
  said.push(await checkServe(bin, workDir));
  return said;
}

/** Starts `serve` on a free port, asks its health route, stops it with SIGTERM and waits for exit 0. */
async function checkServe(bin: string, workDir: string): Promise<string> {
  const server = spawn(bin, ["serve", "--db", "history.sqlite", "--port", "0"], {
    cwd: workDir,
    env: { ...process.env, PATTERNLOOP_TOKEN: "packed-install-check" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  try {
    const url = await listeningUrl(server);
    const health = await fetch(new URL("/healthz", url));
    if (health.status !== 200) throw new Error(`serve: GET /healthz answered ${health.status}`);
    server.kill("SIGTERM");
    const code = await new Promise<number | null>((resolve) => server.once("exit", resolve));
    if (code !== 0) throw new Error(`serve exited ${code} on SIGTERM`);
    return `serve answers GET /healthz with 200 and exits 0 on SIGTERM`;
  } finally {
    if (server.exitCode === null) server.kill("SIGKILL");
  }
}

/** The URL of the `listening on …` line serve prints, within 30 s. */
function listeningUrl(server: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let output = "";
    const timer = setTimeout(() => reject(new Error(`serve did not listen within 30 s:\n${output}`)), 30_000);
    const read = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    };
    server.stdout?.on("data", read);
    server.stderr?.on("data", read);
    server.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited ${code} before listening:\n${output}`));
    });
  });
}
