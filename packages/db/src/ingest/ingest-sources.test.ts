import { describe, expect, it } from "vitest";
import { insertRuns } from "../runs/insert-runs.js";
import { ENGINES, useFreshDatabase } from "../testing/dialects.js";
import { markIngested, readIngestSources } from "./ingest-sources.js";
import { runsOfPrompts } from "./runs-of-prompts.js";

const KIND = "claude-code-transcript";

for (const engine of ENGINES) {
  describe(`ingest bookkeeping (${engine})`, () => {
    const fresh = useFreshDatabase(engine);

    it("remembers each input's size and hash, and replaces them when it is read again", async () => {
      const { db } = fresh();
      expect((await readIngestSources(db, KIND)).size).toBe(0);
      await db.transaction().execute(async (trx) => {
        await markIngested(trx, { kind: KIND, source: "/a.jsonl", offset_bytes: 10, content_hash: "h1" });
        await markIngested(trx, { kind: KIND, source: "/b.jsonl", offset_bytes: 20, content_hash: "h2" });
        await markIngested(trx, { kind: "other", source: "/a.jsonl", offset_bytes: 1, content_hash: null });
      });
      await db
        .transaction()
        .execute((trx) =>
          markIngested(trx, { kind: KIND, source: "/a.jsonl", offset_bytes: 15, content_hash: "h3" }),
        );
      const all = await readIngestSources(db, KIND);
      expect([...all.values()].map((row) => [row.source, row.offset_bytes, row.content_hash])).toEqual(
        expect.arrayContaining([
          ["/a.jsonl", 15, "h3"],
          ["/b.jsonl", 20, "h2"],
        ]),
      );
      expect(all.size).toBe(2);
      const some = await readIngestSources(db, KIND, ["/b.jsonl", "/missing.jsonl"]);
      expect([...some.keys()]).toEqual(["/b.jsonl"]);
    });

    it("finds the stored run of a prompt whatever session it was stored under", async () => {
      const { db } = fresh();
      const id = "0f90c3db-1111-2222-3333-444455556666";
      await db.transaction().execute((trx) =>
        insertRuns(trx, [
          { workflow_id: `session-a:${id}`, status: "completed" },
          { workflow_id: "session-a:other-prompt", status: "completed" },
          { workflow_id: "plain-run", status: "completed" },
        ]),
      );
      const found = await runsOfPrompts(db, [id, "unknown-id", "with%wildcard"]);
      expect([...found]).toEqual([[id, `session-a:${id}`]]);
    });
  });
}
