import { execFile, spawnSync } from "node:child_process";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { patternloopHooks } from "./patternloop-hooks.js";

const HAS_CURL = spawnSync("sh", ["-c", "command -v curl"]).status === 0;
const PAYLOAD = JSON.stringify({
  session_id: "s-1",
  hook_event_name: "UserPromptSubmit",
  prompt: "run the tests and say 'done' when \"all\" pass $HOME `x`",
});

interface Received {
  method?: string;
  url?: string;
  authorization?: string;
  contentType?: string;
  body: string;
}

let server: Server | undefined;
afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((resolve) => (server ? server.close(resolve) : resolve(undefined)));
  server = undefined;
});

/** A real receiver stand-in: records what arrives; `answer` false makes it hang without answering. */
async function listen(received: Received[], answer = true): Promise<string> {
  const listening = createServer((request: IncomingMessage, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({
        method: request.method,
        url: request.url,
        authorization: request.headers.authorization,
        contentType: request.headers["content-type"],
        body,
      });
      if (answer)
        response.writeHead(200, { "content-type": "application/json" }).end('{"ok":true,"note":"x"}');
    });
  });
  server = listening;
  await new Promise<void>((resolve) => listening.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(listening.address() as AddressInfo).port}/v1/hooks/claude-code`;
}

/** Runs a hook's command the way Claude Code does: through a shell, the payload on stdin. */
function runHook(
  command: string,
  env: NodeJS.ProcessEnv,
): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      "sh",
      ["-c", command],
      { env: { PATH: process.env.PATH, ...env }, timeout: 30_000 },
      (error, stdout, stderr) => {
        if (error !== null && typeof error.code !== "number") return reject(error);
        resolve({ code: error === null ? 0 : Number(error.code), stdout, stderr });
      },
    );
    child.stdin?.end(PAYLOAD);
  });
}

function commandOf(url: string, event: string): string {
  const entry = patternloopHooks(url, "command").entries.find((found) => found.event === event);
  return String(entry?.handler.command);
}

describe.skipIf(!HAS_CURL)("the command hook (curl fallback)", () => {
  it("posts its stdin to the receiver with the token from the environment, prints nothing, exits 0", async () => {
    const received: Received[] = [];
    const url = await listen(received);
    const result = await runHook(commandOf(url, "UserPromptSubmit"), { PATTERNLOOP_TOKEN: "tok-from-env" });
    expect(result).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(received).toEqual([
      {
        method: "POST",
        url: "/v1/hooks/claude-code",
        authorization: "Bearer tok-from-env",
        contentType: "application/json",
        body: PAYLOAD,
      },
    ]);
  });

  it("prints nothing and exits 0 when the receiver is down", async () => {
    const url = await listen([]);
    await new Promise((resolve) => server?.close(resolve));
    server = undefined;
    for (const event of ["UserPromptSubmit", "SessionEnd"])
      expect(await runHook(commandOf(url, event), { PATTERNLOOP_TOKEN: "t" })).toEqual({
        code: 0,
        stdout: "",
        stderr: "",
      });
  });

  it("gives up on a receiver that never answers, printing nothing and exiting 0", async () => {
    const received: Received[] = [];
    const url = await listen(received, false);
    expect(await runHook(commandOf(url, "SessionEnd"), {})).toEqual({ code: 0, stdout: "", stderr: "" });
    expect(received.map((request) => request.body)).toEqual([PAYLOAD]);
  });
});

if (!HAS_CURL) it.skip("the command hook tests need curl, which is not installed here", () => {});
