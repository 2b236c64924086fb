import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll } from "vitest";

/** The built `patternloop` binary (`pnpm turbo run build` first). */
export const BIN = fileURLToPath(new URL("../../../cli/dist/bin.js", import.meta.url));
export const HOST = "127.0.0.1";
/** The most any wait here lasts before it fails with what the process printed. */
const STARTUP_LIMIT_MS = 60_000;

if (!existsSync(BIN)) throw new Error(`${BIN} is missing: build first (pnpm -s turbo run build)`);

const running = new Set<ChildProcess>();

/** The environment of a child: this one's, without patternloop settings, plus `extra`. */
function childEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.PATTERNLOOP_TOKEN;
  delete env.PATTERNLOOP_DB;
  for (const [name, value] of Object.entries(extra)) if (value !== undefined) env[name] = value;
  return env;
}

/** A loopback port nothing listens on right now. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once("error", reject);
    probe.listen(0, HOST, () => {
      const address = probe.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      probe.close(() => resolve(port));
    });
  });
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** A `patternloop serve` child process that has printed its listening line. */
export interface ServeProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything printed on stderr so far. */
  stderr(): string;
  exited: Promise<Exit>;
  /** Sends a signal (SIGTERM by default) and waits for the exit. */
  stop(signal?: NodeJS.Signals): Promise<Exit>;
  /** Resolves once stderr contains `text`; fails if the process exits first. */
  printed(text: string): Promise<void>;
}

export interface ServeOptions {
  db: string;
  /** PATTERNLOOP_TOKEN; unset when undefined. */
  token?: string;
  args?: string[];
}

function spawnServe(options: ServeOptions, port: number) {
  const child = spawn(
    process.execPath,
    [BIN, "serve", "--db", options.db, "--port", String(port), "--host", HOST, ...(options.args ?? [])],
    { env: childEnv({ PATTERNLOOP_TOKEN: options.token }), stdio: ["ignore", "pipe", "pipe"] },
  );
  running.add(child);
  let stderr = "";
  let stdout = "";
  const listeners = new Set<() => void>();
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr += chunk.toString();
    for (const listener of listeners) listener();
  });
  child.stdout?.on("data", (chunk: Buffer) => {
    stdout += chunk.toString();
  });
  // "close", not "exit": it comes once stdout and stderr are drained too, so what was printed is all there.
  const exited = new Promise<Exit>((resolve) =>
    child.once("close", (code, signal) => {
      running.delete(child);
      resolve({ code, signal });
    }),
  );
  const printed = (text: string) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (stderr.includes(text)) {
          listeners.delete(check);
          clearTimeout(timer);
          resolve();
        }
      };
      const timer = setTimeout(() => {
        listeners.delete(check);
        reject(
          new Error(`serve did not print ${JSON.stringify(text)}; stderr: ${stderr}; stdout: ${stdout}`),
        );
      }, STARTUP_LIMIT_MS);
      listeners.add(check);
      check();
      exited.then(() => {
        if (!stderr.includes(text)) {
          clearTimeout(timer);
          reject(new Error(`serve exited before printing ${JSON.stringify(text)}; stderr: ${stderr}`));
        }
      });
    });
  return { child, exited, printed, stderr: () => stderr };
}

/** Starts `patternloop serve` on a free loopback port and waits for `listening on http://127.0.0.1:PORT`. */
export async function startServe(options: ServeOptions): Promise<ServeProcess> {
  const port = await freePort();
  const spawned = spawnServe(options, port);
  const url = `http://${HOST}:${port}`;
  await spawned.printed(`listening on ${url}`);
  return {
    ...spawned,
    url,
    port,
    async stop(signal = "SIGTERM") {
      spawned.child.kill(signal);
      return spawned.exited;
    },
  };
}

/** Runs `patternloop serve` expecting it to refuse to start; returns its exit and output. */
export async function refusedServe(options: ServeOptions): Promise<Exit & { stderr: string }> {
  const spawned = spawnServe(options, await freePort());
  const timer = setTimeout(() => spawned.child.kill("SIGKILL"), STARTUP_LIMIT_MS);
  const exit = await spawned.exited;
  clearTimeout(timer);
  return { ...exit, stderr: spawned.stderr() };
}

/** Runs another `patternloop` command to its end. */
export function runCli(args: string[]): { status: number | null; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [BIN, ...args], {
    encoding: "utf8",
    env: childEnv({}),
    timeout: 120_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

// biome-ignore lint/suspicious/noExplicitAny: tests read into JSON answers freely
type Json = any;

/** Sends JSON with the bearer token over real HTTP; returns the status and parsed body. */
export async function postJson(
  url: string,
  body: unknown,
  token: string | undefined,
): Promise<{ status: number; body: Json; hook?: string }> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "content-type": "application/json",
      ...(token === undefined ? {} : { authorization: `Bearer ${token}` }),
    },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  // What became of a hook payload (`kept`, `duplicate`, `ignored`); absent from other answers.
  const hook = response.headers.get("patternloop-hook");
  return { status: response.status, body: await response.json(), ...(hook === null ? {} : { hook }) };
}

export async function getJson(url: string): Promise<{ status: number; body: Json }> {
  const response = await fetch(url);
  return { status: response.status, body: await response.json() };
}

afterAll(() => {
  // A test that failed half-way may leave its server running: stop the ones this file started.
  for (const child of running) child.kill("SIGKILL");
});
