import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase } from "@patternloop/db";
import { holdWriteLock } from "@patternloop/db/testing";
import { afterEach, describe, expect, it } from "vitest";
import { sessionEvents } from "./support/hook-sessions.js";
import { getJson, postJson, runCli, startServe } from "./support/serve-process.js";

const TOKEN = "serve-lock-wait-token-7d20";
/** Long enough for the server to have read the hook and begun waiting for the lock; orders, never asserted. */
const SETTLE_MS = 1_000;
const cleanups: (() => void | Promise<void>)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A server on a fresh SQLite file whose write lock another process holds (released after the test). */
async function serveLockedDatabase(args: string[] = []) {
  const directory = mkdtempSync(join(tmpdir(), "patternloop-api-lock-wait-"));
  cleanups.push(() => rmSync(directory, { recursive: true, force: true }));
  const db = join(directory, "history.sqlite");
  expect(runCli(["ingest", "hooks", "-", "--db", db]).status).toBe(0);
  const server = await startServe({ db, token: TOKEN, args });
  cleanups.push(async () => void (await server.stop()));
  const lock = await holdWriteLock(db);
  cleanups.push(() => lock.release());
  return { db, server };
}

describe("a running server while another process holds the SQLite write lock", { timeout: 120_000 }, () => {
  it("answers reads and /healthz while a hook waits for the lock, then answers the hook 503 busy", async () => {
    const { db, server } = await serveLockedDatabase();
    const [prompt] = sessionEvents("95c9e0c1");
    const answered: string[] = [];
    const hook = postJson(`${server.url}/v1/hooks/claude-code`, prompt, TOKEN).then((answer) => {
      answered.push("hook");
      return answer;
    });
    await sleep(SETTLE_MS);
    const health = getJson(`${server.url}/healthz`).then((answer) => {
      answered.push("healthz");
      return answer;
    });
    const patterns = getJson(`${server.url}/v1/patterns`).then((answer) => {
      answered.push("patterns");
      return answer;
    });

    await Promise.all([hook, health, patterns]);
    expect(answered.indexOf("hook")).toBe(2);
    expect((await patterns).status).toBe(200);
    const busyLine = (waited: string) =>
      `database is busy: another process holds its write lock (sqlite:${db}, waited ${waited}: database is locked); try again once it is done`;
    // The health probe waits a shorter time for the lock than a real write does, and says so.
    expect(await health).toMatchObject({
      status: 503,
      body: { status: "degraded", problems: [{ check: "write", code: "busy", message: busyLine("1 s") }] },
    });
    expect(await hook).toEqual({
      status: 503,
      body: { error: { code: "busy", message: `the hook payload was not stored: ${busyLine("10 s")}` } },
    });
  });

  it("exits on SIGTERM after its grace period while a hook still waits for the lock", async () => {
    const { db, server } = await serveLockedDatabase(["--shutdown-grace", "1"]);
    const [prompt] = sessionEvents("95c9e0c1");
    const events: string[] = [];
    // The 10 s deadline, as an event: a write of this process that starts waiting for the same lock first.
    const reference = await createDatabase(db, { lockWait: "async" });
    cleanups.push(() => reference.close());
    const deadline = reference.db
      .insertInto("ingest_sources")
      .values({ kind: "test", source: "reference" })
      .execute()
      .then(
        () => events.push("reference stored"),
        (error: unknown) => events.push(`reference ${(error as { code?: string }).code}`),
      );
    // The connection is cut when the grace period ends; only an answer counts as an event.
    const hook = postJson(`${server.url}/v1/hooks/claude-code`, prompt, TOKEN).then(
      (answer) => events.push(`hook answered ${answer.status}`),
      () => undefined,
    );
    await sleep(SETTLE_MS);

    const exit = await server.stop("SIGTERM");
    events.push("exited");
    await Promise.all([hook, deadline]);

    // A server stuck in SQLite's busy wait answers the hook busy when its 10 s are up, and only then exits;
    // one whose wait goes on past the grace period exits after the 10 s too.
    expect(events).toEqual(["exited", "reference busy"]);
    expect(exit).toEqual({ code: 0, signal: null });
    expect(server.stderr()).toContain("cut 1 connection still open after the 1 s grace period");
  });
});
