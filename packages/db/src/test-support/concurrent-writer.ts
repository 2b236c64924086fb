// A second process for the SQLite locking tests. Over IPC it reports "booted" and waits for a message, opens
// the database at argv[2] (creating it when argv[4] is "create"), reports "opened" and waits again, then runs
// argv[3] read-then-write transactions on a shared counter. The pauses let the test start every process's
// open, and then every process's writes, at the same moment.
import { setTimeout as sleep } from "node:timers/promises";
import { createDatabase } from "../create-database.js";
import { nextStep } from "./lock-step.js";

const [path = "", rounds = "0", mode = ""] = process.argv.slice(2);
await nextStep("booted");
const { db, close } = await createDatabase(path, { create: mode === "create" });
const counter = { kind: "test", source: "counter" };
await db
  .insertInto("ingest_sources")
  .values({ ...counter, offset_bytes: 0 })
  .onConflict((oc) => oc.columns(["kind", "source"]).doNothing())
  .execute();
await nextStep("opened");
try {
  for (let i = 0; i < Number(rounds); i++) {
    await db.transaction().execute(async (trx) => {
      const { offset_bytes } = await trx
        .selectFrom("ingest_sources")
        .select("offset_bytes")
        .where("kind", "=", counter.kind)
        .where("source", "=", counter.source)
        .executeTakeFirstOrThrow();
      await sleep(1);
      await trx
        .updateTable("ingest_sources")
        .set({ offset_bytes: offset_bytes + 1 })
        .where("kind", "=", counter.kind)
        .where("source", "=", counter.source)
        .execute();
    });
  }
} finally {
  await close();
}
