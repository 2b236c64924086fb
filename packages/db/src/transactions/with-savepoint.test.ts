import { describe, expect, it } from "vitest";
import { insertRuns } from "../runs/insert-runs.js";
import { readRunStatuses } from "../runs/read-run-statuses.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { withSavepoint } from "./with-savepoint.js";

for (const engine of ENGINES) {
  describe(`withSavepoint (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("undoes only what the failed work wrote and returns its error; the transaction goes on and commits", async () => {
      const { db } = fresh();
      const failure = await db.transaction().execute(async (trx) => {
        await insertRuns(trx, [{ workflow_id: "before", status: "running" }]);
        const failed = await withSavepoint(trx, "work", async (inner) => {
          await insertRuns(inner, [{ workflow_id: "inside", status: "running" }]);
          throw new Error("work failed");
        });
        await insertRuns(trx, [{ workflow_id: "after", status: "completed" }]);
        return failed;
      });
      expect(failure).toEqual({ ok: false, error: new Error("work failed") });
      expect(await readRunStatuses(db, ["before", "inside", "after"])).toEqual(
        new Map([
          ["before", "running"],
          ["after", "completed"],
        ]),
      );
    });

    it("keeps what the work wrote and returns its value when it succeeds", async () => {
      const { db } = fresh();
      const value = await db.transaction().execute((trx) =>
        withSavepoint(trx, "work", async (inner) => {
          await insertRuns(inner, [{ workflow_id: "inside", status: "failed" }]);
          return 42;
        }),
      );
      expect(value).toEqual({ ok: true, value: 42 });
      expect(await readRunStatuses(db, ["inside", "missing"])).toEqual(new Map([["inside", "failed"]]));
      expect(await readRunStatuses(db, [])).toEqual(new Map());
    });
  });
}
