import { type ChildProcess, spawn } from "node:child_process";
import { afterAll } from "vitest";
import { BIN } from "../run-cli.js";

const servers: ChildProcess[] = [];
afterAll(() => {
  for (const child of servers.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
});

/** `patternloop serve --local-only` on a free port, once it listens; `stop` ends it with SIGTERM. */
export async function serveLocal(url: string): Promise<{ base: string; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, [BIN, "serve", "--db", url, "--port", "0", "--local-only"], {
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
