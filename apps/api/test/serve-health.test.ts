import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { makeReadOnly, smallDisk } from "@patternloop/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { getJson, runCli, startServe } from "./support/serve-process.js";

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
