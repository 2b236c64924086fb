import { mkdtempSync, rmSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { getJson, HOST, startServe } from "./support/serve-process.js";

const TOKEN = "serve-abort-token-9d2e";
const directory = mkdtempSync(join(tmpdir(), "patternloop-api-aborts-"));
afterAll(() => rmSync(directory, { recursive: true, force: true }));

/**
 * A client that hangs up half-way through its body: it sends the headers, waits until the server has taken
 * the request (its `100 Continue`), sends part of the body and closes the connection.
 */
function abortMidBody(port: number, path: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, HOST, () => {
      socket.write(
        `POST ${path} HTTP/1.1\r\nHost: ${HOST}\r\nAuthorization: Bearer ${TOKEN}\r\n` +
          "Content-Type: application/json\r\nContent-Length: 1000\r\nExpect: 100-continue\r\n\r\n",
      );
    });
    socket.once("data", (answer) => {
      if (!answer.toString().startsWith("HTTP/1.1 100")) reject(new Error(`not a 100 Continue: ${answer}`));
      socket.write('{"workflow_id":"wf-', () => {
        socket.destroy();
        resolve();
      });
    });
    socket.once("error", reject);
  });
}

async function until(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error("condition not met within 60 s");
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe("clients that hang up mid-body", { timeout: 120_000 }, () => {
  it("are summed up in a few short lines, not seven lines each", async () => {
    const server = await startServe({ db: join(directory, "history.sqlite"), token: TOKEN });
    const ABORTS = 200;
    for (let i = 0; i < ABORTS; i += 20)
      await Promise.all(
        Array.from({ length: 20 }, (_, j) =>
          abortMidBody(server.port, (i + j) % 2 === 0 ? "/v1/runs" : "/v1/hooks/claude-code"),
        ),
      );
    await until(async () => (await getJson(`${server.url}/healthz`)).body.requests_in_flight === 0);
    const exit = await server.stop();
    expect(exit).toEqual({ code: 0, signal: null });

    const lines = server
      .stderr()
      .split("\n")
      .filter((line) => line !== "");
    const single = lines.filter((line) =>
      /^\[api\] POST \/v1\/\S+: the client went away mid-body \(aborted/.test(line),
    );
    const counted = lines
      .map((line) => /^\[api\] … and (\d+) more requests? whose client went away mid-body$/.exec(line)?.[1])
      .filter((count) => count !== undefined)
      .map(Number);
    // Every abort is accounted for, in at most five lines a minute and one count.
    expect(single.length + counted.reduce((sum, count) => sum + count, 0)).toBe(ABORTS);
    expect(single.length).toBeLessThanOrEqual(10);
    // Besides them: the listening line, the signal line and the line saying how the server stopped.
    expect(lines.length).toBe(3 + single.length + counted.length);
    expect(lines.filter((line) => line.startsWith("[api] unhandled error"))).toEqual([]);
  });
});
