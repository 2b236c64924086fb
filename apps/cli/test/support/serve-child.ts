import { type ChildProcess, spawn } from "node:child_process";
import { afterAll } from "vitest";
import { BIN } from "../run-cli.js";

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const child of servers.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** A running `patternloop serve` child: where it listens, and `stop`, which ends it with SIGTERM. */
export interface ServeChild {
  base: string;
  stop: () => Promise<void>;
}

/**
 * `patternloop serve` on a free port, once it listens. With a token, requests must bear it
 * (PATTERNLOOP_TOKEN); without one, it answers loopback requests only (`--local-only`).
 */
export async function serveChild(url: string, token?: string): Promise<ServeChild> {
  const access = token === undefined ? ["--local-only"] : [];
  const child = spawn(process.execPath, [BIN, "serve", "--db", url, "--port", "0", ...access], {
    ...(token === undefined ? {} : { env: { ...process.env, PATTERNLOOP_TOKEN: token } }),
    stdio: ["ignore", "ignore", "pipe"],
  });
  servers.push(child);
  let stderr = "";
  const base = await new Promise<string>((resolve, reject) => {
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
      const listening = /listening on (http:\/\/\S+)/.exec(stderr);
      if (listening?.[1] !== undefined) resolve(listening[1]);
    });
    child.once("exit", () => reject(new Error(`serve exited: ${stderr}`)));
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  return {
    base,
    stop: async () => {
      child.kill("SIGTERM");
      await exited;
    },
  };
}
