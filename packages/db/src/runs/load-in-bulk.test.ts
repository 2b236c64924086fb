import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { insertRuns } from "./insert-runs.js";
import { loadInBulk } from "./load-in-bulk.js";

for (const engine of ENGINES) {
  describe(`loadInBulk (${engine})`, () => {
    const fresh = useFreshDatabase(engine);
    const checkpointPages = async (db: ReturnType<typeof fresh>["db"]) =>
      engine === "sqlite"
        ? (await sql<{ wal_autocheckpoint: number }>`pragma wal_autocheckpoint`.execute(db)).rows[0]
            ?.wal_autocheckpoint
        : undefined;

    it("stores what the load stores, checkpointing every 64 MB of log meanwhile, and puts the setting back", async () => {
      const { db } = fresh();
      const before = await checkpointPages(db);
      const during = await loadInBulk(db, async () => {
        await db.transaction().execute((trx) => insertRuns(trx, [{ workflow_id: "r-1" }]));
        return checkpointPages(db);
      });
      expect(during).toBe(engine === "sqlite" ? 16_384 : undefined);
      expect(await checkpointPages(db)).toBe(before);
      expect(await db.selectFrom("workflow_history").select("workflow_id").execute()).toEqual([
        { workflow_id: "r-1" },
      ]);
    });

    it("puts the setting back after a load that fails, and lets its error through", async () => {
      const { db } = fresh();
      const before = await checkpointPages(db);
      await expect(
        loadInBulk(db, async () => {
          throw new Error("the load failed");
        }),
      ).rejects.toThrow("the load failed");
      expect(await checkpointPages(db)).toBe(before);
    });
  });
}
