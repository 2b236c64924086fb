import { describe, expect, it } from "vitest";
import { insertRuns } from "../runs/insert-runs.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { idleSessions, openSessions, releaseSessionRun, touchSession } from "./idle-sessions.js";

for (const engine of ENGINES) {
  describe(`idle Claude Code sessions (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    /** Sessions `quiet` (last event 10:00), `busy` (10:20) and `closed` (no run open, 09:00). */
    async function seed() {
      const { db } = fresh();
      await db.transaction().execute((trx) =>
        insertRuns(trx, [
          { workflow_id: "run-quiet", status: "running" },
          { workflow_id: "run-busy", status: "running" },
        ]),
      );
      await db
        .insertInto("claude_code_sessions")
        .values([
          { session_id: "quiet", open_workflow_id: "run-quiet", updated_at: "2026-01-01T10:00:00.000Z" },
          { session_id: "busy", open_workflow_id: "run-busy", updated_at: "2026-01-01T10:20:00.000Z" },
          { session_id: "closed", open_workflow_id: null, updated_at: "2026-01-01T09:00:00.000Z" },
        ])
        .execute();
      return db;
    }

    it("finds the sessions with a run open and no event since the time given, quietest first", async () => {
      const db = await seed();
      expect(await idleSessions(db, "2026-01-01T10:10:00.000Z")).toEqual([
        { session_id: "quiet", open_workflow_id: "run-quiet", updated_at: "2026-01-01T10:00:00.000Z" },
      ]);
      expect((await idleSessions(db, "2026-01-01T11:00:00.000Z")).map((s) => s.session_id)).toEqual([
        "quiet",
        "busy",
      ]);
      expect(await idleSessions(db, "2026-01-01T11:00:00.000Z", 1)).toHaveLength(1);
      expect(await idleSessions(db, "2026-01-01T10:00:00.000Z")).toEqual([]);
      expect((await openSessions(db, ["closed", "busy", "unknown"])).map((s) => s.session_id)).toEqual([
        "busy",
      ]);
      expect(await openSessions(db, [])).toEqual([]);
    });

    it("does not find a session with an event kept and not yet applied", async () => {
      const db = await seed();
      await db
        .insertInto("hook_inbox")
        .values({
          event_id: "e-1",
          session_id: "quiet",
          payload_digest: "d-1",
          delivery_key: null,
          payload: "{}",
          received_at: "2026-01-01T10:30:00.000Z",
        })
        .execute();
      expect(await idleSessions(db, "2026-01-01T11:00:00.000Z")).toEqual([
        { session_id: "busy", open_workflow_id: "run-busy", updated_at: "2026-01-01T10:20:00.000Z" },
      ]);
      await db.updateTable("hook_inbox").set({ processed_at: "2026-01-01T10:30:01.000Z" }).execute();
      expect((await idleSessions(db, "2026-01-01T11:00:00.000Z")).map((s) => s.session_id)).toEqual([
        "quiet",
        "busy",
      ]);
    });

    it("an event moves the last activity forward, only of a session with a run open", async () => {
      const db = await seed();
      await touchSession(db, "quiet", "2026-01-01T10:15:00.000Z");
      await touchSession(db, "busy", "2026-01-01T10:05:00.000Z");
      await touchSession(db, "closed", "2026-01-01T10:30:00.000Z");
      const times = await db
        .selectFrom("claude_code_sessions")
        .select(["session_id", "updated_at"])
        .orderBy("session_id")
        .execute();
      expect(times).toEqual([
        { session_id: "busy", updated_at: "2026-01-01T10:20:00.000Z" },
        { session_id: "closed", updated_at: "2026-01-01T09:00:00.000Z" },
        { session_id: "quiet", updated_at: "2026-01-01T10:15:00.000Z" },
      ]);
      expect(await idleSessions(db, "2026-01-01T10:10:00.000Z")).toEqual([]);
    });

    it("releases a session's run once, and not a run the session opened since", async () => {
      const db = await seed();
      expect(await releaseSessionRun(db, "quiet", "run-quiet")).toBe(true);
      expect(await releaseSessionRun(db, "quiet", "run-quiet")).toBe(false);
      expect(await releaseSessionRun(db, "busy", "run-quiet")).toBe(false);
      expect(await openSessions(db, ["quiet", "busy"])).toEqual([
        { session_id: "busy", open_workflow_id: "run-busy", updated_at: "2026-01-01T10:20:00.000Z" },
      ]);
    });
  });
}
