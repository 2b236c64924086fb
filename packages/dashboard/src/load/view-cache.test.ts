import { insertStartedRun } from "@patternloop/db";
import { ENGINES, useFreshDatabase } from "@patternloop/db/testing";
import { describe, expect, it } from "vitest";
import { createViewCache } from "./view-cache.js";

/** A load that says how many times it ran, resolving when told to. */
function countingLoad() {
  let calls = 0;
  return {
    calls: () => calls,
    load: async () => {
      calls += 1;
      return calls;
    },
  };
}

const run = (id: string) => ({ workflow_id: id, start_time: "2026-01-05T08:00:00.000Z" });

for (const engine of ENGINES) {
  describe(`the view cache (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("reads a view once while the history is unchanged", async () => {
      const { handle } = fresh();
      const cache = createViewCache(handle);
      const counter = countingLoad();
      expect((await cache.read("overview", counter.load)).value).toBe(1);
      expect((await cache.read("overview", counter.load)).value).toBe(1);
      expect(counter.calls()).toBe(1);
    });

    it("after a write shows what it read last, says so, and shows the new read once it is done", async () => {
      const { handle, db } = fresh();
      const cache = createViewCache(handle);
      const counter = countingLoad();
      await cache.read("overview", counter.load);
      await insertStartedRun(db, run("later"));
      const stale = await cache.read("overview", counter.load);
      expect(stale).toMatchObject({ value: 1, refreshing: true });
      // The new read starts after the answer above is on its way, not before it (SQLite reads block).
      expect(counter.calls()).toBe(1);
      await cache.read("overview", counter.load);
      await expect.poll(async () => (await cache.read("overview", counter.load)).value).toBe(2);
      // It was started once, however many requests came while it ran.
      expect(counter.calls()).toBe(2);
      expect(await cache.read("overview", counter.load)).toMatchObject({ value: 2, refreshing: false });
    });

    it("does not keep a failed read: the next request reads again", async () => {
      const { handle } = fresh();
      const cache = createViewCache(handle);
      await expect(cache.read("overview", () => Promise.reject(new Error("storage failed")))).rejects.toThrow(
        "storage failed",
      );
      expect((await cache.read("overview", async () => "read again")).value).toBe("read again");
    });
  });
}
