import { type ChildProcess, spawn } from "node:child_process";

/** A server under test, running in a child process of its own. */
export interface ChildServer {
  url: string;
  /** The last lines the child wrote on stderr (errors, warnings). */
  stderrTail(): string;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the child has exited. */
  stop(): Promise<void>;
}

const LISTENING = /listening on (http:\/\/\S+)/;

/** Children still running: killed if this process exits without stopping them (an uncaught error). */
const running = new Set<ChildProcess>();
process.once("exit", () => {
  for (const child of running) child.kill("SIGKILL");
});

/**
 * Starts `node <args>` and waits for its `listening on http://…` line on stderr. Its stdout (the server's log
 * lines) goes to /dev/null, so logging costs what it costs on a server whose log is discarded.
 */
export function startChild(
  args: readonly string[],
  env: NodeJS.ProcessEnv = {},
  timeoutMs = 60_000,
): Promise<ChildServer> {
  const child = spawn(process.execPath, args, {
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, ...env },
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  let stderr = "";
  child.stderr?.setEncoding("utf8");
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`node ${args.join(" ")} did not listen within ${timeoutMs} ms: ${stderr}`));
    }, timeoutMs);
    const onExit = (code: number | null, signal: string | null) => {
      clearTimeout(timer);
      reject(new Error(`node ${args.join(" ")} exited (${signal ?? code}) before listening: ${stderr}`));
    };
    child.once("exit", onExit);
    child.once("error", (error) => {
      clearTimeout(timer);
      reject(error);
    });
    let listening = false;
    child.stderr?.on("data", (chunk: string) => {
      stderr = (stderr + chunk).slice(-8_000);
      const match = listening ? null : LISTENING.exec(stderr);
      if (match === null) return;
      listening = true;
      clearTimeout(timer);
      child.off("exit", onExit);
      resolve({
        url: match[1] as string,
        stderrTail: () => stderr,
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const killer = setTimeout(() => child.kill("SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(killer);
      resolve();
    });
    child.kill("SIGTERM");
  });
}
