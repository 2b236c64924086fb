import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeReadOnly } from "@patternloop/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { sessionEvents } from "./support/hook-sessions.js";
import { postJson, runCli, startServe } from "./support/serve-process.js";

const TOKEN = "serve-storage-token-4c81";
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("a running server whose database file is read-only", { timeout: 120_000 }, () => {
  it("answers each write 503 read_only with its one line, logs one line each, and keeps running", async () => {
    const directory = mkdtempSync(join(tmpdir(), "patternloop-api-storage-"));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const db = join(directory, "history.sqlite");
    expect(runCli(["ingest", "hooks", "-", "--db", db]).status).toBe(0);
    const readOnly = makeReadOnly(db);
    cleanups.push(() => readOnly.restore());
    const server = await startServe({ db, token: TOKEN });
    cleanups.push(async () => void (await server.stop()));
    const [prompt] = sessionEvents("95c9e0c1");

    const started = await postJson(`${server.url}/v1/runs`, { workflow_id: "wf-1" }, TOKEN);
    const hook = await postJson(`${server.url}/v1/hooks/claude-code`, prompt, TOKEN);

    const readOnlyLine = `cannot write sqlite:${db}: it is read-only (attempt to write a readonly database)`;
    expect(started).toEqual({ status: 503, body: { error: { code: "read_only", message: readOnlyLine } } });
    expect(hook).toEqual({
      status: 503,
      body: { error: { code: "read_only", message: `the hook payload was not stored: ${readOnlyLine}` } },
    });
    // The child's stderr reaches this process on its own pipe, possibly after the answer that followed it.
    await server.printed("[api] hook not stored:");
    const logged = server
      .stderr()
      .split("\n")
      .filter((line) => line.startsWith("[api]"));
    expect(logged).toEqual([
      `[api] POST /v1/runs: read_only: ${readOnlyLine}`,
      `[api] hook not stored: read_only: ${readOnlyLine}`,
    ]);
    expect(await server.stop()).toEqual({ code: 0, signal: null });
  });
});
