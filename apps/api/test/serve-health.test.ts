import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeReadOnly, smallDisk } from "@patternloop/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { sessionEvents } from "./support/hook-sessions.js";
import { getJson, postJson, runCli, startServe } from "./support/serve-process.js";

const TOKEN = "serve-health-token-7d2e";
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

describe("GET /healthz of a running server says what does not work", { timeout: 120_000 }, () => {
  it("a full disk: 503 degraded, naming it; ok again once there is room", async (context) => {
    const disk = smallDisk(4096);
    if ("unavailable" in disk) return context.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const db = join(disk.directory, "history.sqlite");
    // Made and closed by the CLI: no -wal left, so the server's first commit must grow a new one.
    expect(runCli(["ingest", "hooks", "-", "--db", db]).status).toBe(0);
    const server = await startServe({ db, token: TOKEN });
    cleanups.push(async () => void (await server.stop()));
    disk.fill();
    const full = await getJson(`${server.url}/healthz`);
    expect(full.status).toBe(503);
    expect(full.body).toEqual({
      status: "degraded",
      engine: "sqlite",
      problems: [
        {
          check: "write",
          code: "disk_full",
          message: `cannot write sqlite:${db}: the disk is full (database or disk is full)`,
        },
      ],
      requests_in_flight: 0,
    });
    disk.empty();
    const roomy = await getJson(`${server.url}/healthz`);
    expect(roomy.status).toBe(200);
    expect(roomy.body).toMatchObject({ status: "ok" });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    const check = runCli(["check", "--db", db]);
    expect(check.stdout).toContain("integrity: ok");
  });

  it("a disk too full for real writes but not for the probe: 503 naming disk_full until writes work", async (context) => {
    const disk = smallDisk(4096);
    if ("unavailable" in disk) return context.skip(disk.unavailable);
    cleanups.push(() => disk.unmount());
    const db = join(disk.directory, "history.sqlite");
    expect(runCli(["ingest", "hooks", "-", "--db", db]).status).toBe(0);
    const server = await startServe({ db, token: TOKEN });
    cleanups.push(async () => void (await server.stop()));
    const hooks = `${server.url}/v1/hooks/claude-code`;
    const events = sessionEvents("95c9e0c1");
    const prompt = events.find((event) => event.hook_event_name === "UserPromptSubmit");
    const call = events.find((event) => event.hook_event_name === "PostToolUse");
    // Tool calls of the session; `padding` makes one need more room than the log file has.
    let sent = 0;
    const nextCall = (padding = 0) => {
      sent += 1;
      const command = `${String(call?.tool_input?.command)} # ${sent} ${"x".repeat(padding)}`;
      return { ...call, tool_use_id: `toolu_full_${sent}`, tool_input: { ...call?.tool_input, command } };
    };
    expect((await postJson(hooks, prompt, TOKEN)).status).toBe(200);
    for (let i = 0; i < 3; i += 1)
      expect(await postJson(hooks, nextCall(), TOKEN)).toMatchObject({ status: 200, hook: "kept" });

    // The log copied into the file (the server does so every few ms), the next commit reuses its pages:
    // small writes such as the probe's still fit, a large one does not.
    const failOnFullDisk = async () => {
      await new Promise((resolve) => setTimeout(resolve, 300));
      disk.fill();
      return postJson(hooks, nextCall(450_000), TOKEN);
    };
    // Whether the probe fits or not, the write that failed is named.
    const degraded = {
      status: 503,
      body: {
        status: "degraded",
        problems: expect.arrayContaining([
          {
            check: "recent_writes",
            code: "disk_full",
            message: `cannot write sqlite:${db}: the disk is full (database or disk is full)`,
            at: expect.any(String),
          },
        ]),
      },
    };
    // Freed, then a real write stores again: ok.
    expect(await failOnFullDisk()).toMatchObject({ status: 503, body: { error: { code: "disk_full" } } });
    expect(await getJson(`${server.url}/healthz`)).toMatchObject(degraded);
    disk.empty();
    expect(await postJson(hooks, nextCall(), TOKEN)).toMatchObject({ status: 200, hook: "kept" });
    const stored = await getJson(`${server.url}/healthz`);
    expect(stored).toMatchObject({ status: 200, body: { status: "ok", last_write_at: expect.any(String) } });

    // Freed with no write coming in: the probe, finding room again, says so.
    expect(await failOnFullDisk()).toMatchObject({ status: 503, body: { error: { code: "disk_full" } } });
    expect(await getJson(`${server.url}/healthz`)).toMatchObject(degraded);
    disk.empty();
    expect(await getJson(`${server.url}/healthz`)).toMatchObject({ status: 200, body: { status: "ok" } });
    expect(await server.stop()).toEqual({ code: 0, signal: null });
    expect(runCli(["check", "--db", db]).stdout).toContain("integrity: ok");
  });

  it("a read-only file: 503 degraded, naming it", async () => {
    const directory = mkdtempSync(join(tmpdir(), "patternloop-api-health-"));
    cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
    const db = join(directory, "history.sqlite");
    expect(runCli(["ingest", "hooks", "-", "--db", db]).status).toBe(0);
    const readOnly = makeReadOnly(db);
    cleanups.push(() => readOnly.restore());
    const server = await startServe({ db, token: TOKEN });
    cleanups.push(async () => void (await server.stop()));
    const answer = await getJson(`${server.url}/healthz`);
    expect(answer.status).toBe(503);
    expect(answer.body).toEqual({
      status: "degraded",
      engine: "sqlite",
      problems: [
        {
          check: "write",
          code: "read_only",
          message: `cannot write sqlite:${db}: it is read-only (attempt to write a readonly database)`,
        },
      ],
      requests_in_flight: 0,
    });
  });
});
