import { stringifyCommandTally, toolCallsOfEvidence } from "@patternloop/core";
import type { Kysely } from "kysely";
import { inChunks } from "../in-chunks.js";
import { PatternloopDbError } from "../patternloop-db-error.js";
import type { Database } from "../schema/database.js";
import { storedCommandTallies } from "./stored-command-tallies.js";
import { type PairedOccurrence, TallyCounts } from "./tally-counts.js";

/** Occurrences read per step; between steps other work on the thread (a server's requests) gets its turn. */
const CHUNK = 2000;

/** What a fold did: how many occurrences it added, and whether it started over from none. */
export interface FoldedTallies {
  folded: number;
  recounted: boolean;
  /** True when the database accepts no writes: what was counted is kept for this handle's readers only. */
  unstored?: boolean;
}

/** What a fold counted on a database that accepts no writes: the stored tallies stay behind. */
export interface UnstoredTallies {
  counts: TallyCounts;
  /** The counts replace the stored tallies (a recount) rather than go on from them. */
  recount: boolean;
}

/** The fold under way on each database handle, so that concurrent readers wait for one fold. */
const underWay = new WeakMap<object, Promise<FoldedTallies>>();
/** Per handle, the last fold's counts when they could not be stored. */
const unstored = new WeakMap<object, UnstoredTallies>();

/**
 * What the last fold on this handle counted but could not store, because the database is read-only; the
 * readers add it to what is stored. Undefined when the stored tallies are current.
 */
export function unstoredTallies(db: Kysely<Database>): UnstoredTallies | undefined {
  return unstored.get(db);
}

/**
 * Brings the stored pattern tallies up to date with the occurrences, and returns once they are: the
 * occurrences stored since the last fold are added to them, in id order, or, when occurrences were removed
 * since (a re-backfill, a run re-ingested) or committed late under an id already folded, every tally is
 * counted again from all the occurrences. Needs no help from whoever writes occurrences: the watermark row
 * says how many occurrences up to which id were folded, and a count of the table tells whether that still
 * holds. Reads a chunk of occurrences at a time and lets the thread's other work run between chunks; writes
 * once, at the end, in one transaction, and only if no other fold wrote meanwhile (then it tries again).
 */
export function foldPatternTallies(db: Kysely<Database>): Promise<FoldedTallies> {
  const running = underWay.get(db);
  if (running !== undefined) return running;
  const fold = (async () => {
    let total: FoldedTallies = { folded: 0, recounted: false };
    for (let attempt = 0; attempt < 5; attempt++) {
      const outcome = await foldOnce(db);
      if (outcome === "raced") continue;
      total = {
        folded: total.folded + outcome.folded,
        recounted: total.recounted || outcome.recounted,
        ...(outcome.unstored === true ? { unstored: true } : {}),
      };
      if (outcome.folded === 0 || !outcome.recounted || outcome.unstored === true) return total;
    }
    return total;
  })().finally(() => underWay.delete(db));
  underWay.set(db, fold);
  return fold;
}

/** How many occurrences, up to which id, the stored tallies have folded. */
export interface Watermark {
  through: number;
  count: number;
}

async function foldOnce(db: Kysely<Database>): Promise<FoldedTallies | "raced"> {
  const mark = await readWatermark(db);
  const since = await occurrencesSince(db, mark);
  const fresh = since.count;
  const recount = since.all !== mark.count + fresh;
  if (!recount && fresh === 0) {
    unstored.delete(db);
    return { folded: 0, recounted: false };
  }
  const last = recount
    ? Number(
        (
          await db
            .selectFrom("pattern_occurrences")
            .select((eb) => eb.fn.max("id").as("last"))
            .executeTakeFirstOrThrow()
        ).last ?? 0,
      )
    : since.last;
  const from: Watermark = recount ? { through: 0, count: 0 } : mark;

  const counts = new TallyCounts();
  let cursor = from.through;
  let folded = 0;
  for (;;) {
    const rows = await db
      .selectFrom("pattern_occurrences as po")
      .innerJoin("workflow_history as wh", "wh.workflow_id", "po.workflow_id")
      .select(["po.id", "po.pattern_id", "po.workflow_id", "po.evidence", "wh.project"])
      .where("po.id", ">", cursor)
      .where("po.id", "<=", last)
      .orderBy("po.id")
      .limit(CHUNK)
      .execute();
    const first = rows[0];
    if (first === undefined) break;
    if (!recount) await loadStoredTallies(db, counts, [...new Set(rows.map((row) => row.pattern_id))]);
    const earlier = await earlierOccurrences(db, [...new Set(rows.map((row) => row.workflow_id))], first.id);
    for (const row of rows) {
      let ofRun = earlier.get(row.workflow_id);
      if (ofRun === undefined) {
        ofRun = [];
        earlier.set(row.workflow_id, ofRun);
      }
      ofRun.push(counts.add(row, ofRun));
    }
    folded += rows.length;
    cursor = rows[rows.length - 1]?.id ?? cursor;
    await new Promise((resolve) => setImmediate(resolve));
  }

  // A caller's transaction holds the write; otherwise the fold's own does.
  const inTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  let written: boolean;
  try {
    written = await inTransaction((trx) =>
      storeFoldedTallies(trx, counts, mark, { through: cursor, count: from.count + folded }, recount),
    );
  } catch (error) {
    // A read-only file (a mount, a copy kept for reading) still answers its readers, from these counts.
    if (!(error instanceof PatternloopDbError && error.code === "read_only")) throw error;
    unstored.set(db, { counts, recount });
    return { folded, recounted: recount, unstored: true };
  }
  unstored.delete(db);
  return written ? { folded, recounted: recount } : "raced";
}

/**
 * Stores what a fold counted and moves the watermark from `mark` to `to`, in the caller's transaction, if
 * the watermark is still at `mark` (otherwise another fold wrote meanwhile: returns false, writes nothing).
 * A recount replaces every tally; otherwise the command tallies counted replace theirs (they went on from
 * them) and the pair counts are added to theirs.
 */
export async function storeFoldedTallies(
  trx: Kysely<Database>,
  counts: TallyCounts,
  mark: Watermark,
  to: Watermark,
  recount: boolean,
): Promise<boolean> {
  const moved = await trx
    .updateTable("pattern_tally_watermark")
    .set({ folded_through: to.through, folded_count: to.count })
    .where("id", "=", 1)
    .where("folded_through", "=", mark.through)
    .where("folded_count", "=", mark.count)
    .executeTakeFirst();
  if (Number(moved.numUpdatedRows) !== 1) return false;
  if (recount) {
    await trx.deleteFrom("pattern_command_tallies").execute();
    await trx.deleteFrom("pattern_pair_tallies").execute();
  }
  for (const [patternId, tally] of [...counts.tallies].sort(([a], [b]) => a - b)) {
    const text = stringifyCommandTally(tally);
    await trx
      .insertInto("pattern_command_tallies")
      .values({ pattern_id: patternId, tally: text })
      .onConflict((oc) => oc.column("pattern_id").doUpdateSet({ tally: text }))
      .execute();
  }
  for (const [key, pair] of [...counts.pairs].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const [patternId, otherId] = key.split(" ").map(Number) as [number, number];
    await trx
      .insertInto("pattern_pair_tallies")
      .values({
        pattern_id: patternId,
        other_id: otherId,
        same_run: pair.sameRun,
        same_command: pair.sameCommand,
      })
      .onConflict((oc) =>
        oc.columns(["pattern_id", "other_id"]).doUpdateSet((eb) => ({
          same_run: eb("pattern_pair_tallies.same_run", "+", pair.sameRun),
          same_command: eb("pattern_pair_tallies.same_command", "+", pair.sameCommand),
        })),
      )
      .execute();
  }
  return true;
}

/** How many occurrences the table holds, and how many above the watermark, up to which id. */
export async function occurrencesSince(
  db: Kysely<Database>,
  mark: Watermark,
): Promise<{ all: number; count: number; last: number }> {
  const all = await db
    .selectFrom("pattern_occurrences")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  const since = await db
    .selectFrom("pattern_occurrences")
    .select((eb) => [eb.fn.countAll<number | string>().as("n"), eb.fn.max("id").as("last")])
    .where("id", ">", mark.through)
    .executeTakeFirstOrThrow();
  return { all: Number(all.n), count: Number(since.n), last: Number(since.last ?? 0) };
}

export async function readWatermark(db: Kysely<Database>): Promise<Watermark> {
  const row = await db
    .selectFrom("pattern_tally_watermark")
    .select(["folded_through", "folded_count"])
    .where("id", "=", 1)
    .executeTakeFirst();
  return { through: Number(row?.folded_through ?? 0), count: Number(row?.folded_count ?? 0) };
}

/** Adds the stored tallies of the patterns not yet in `tallies`, for a fold that goes on from them. */
async function loadStoredTallies(
  db: Kysely<Database>,
  counts: TallyCounts,
  patternIds: number[],
): Promise<void> {
  const { tallies } = counts;
  const missing = patternIds.filter((id) => !tallies.has(id));
  if (missing.length === 0) return;
  for (const [id, tally] of await storedCommandTallies(db, missing)) tallies.set(id, tally);
}

/** The occurrences of these runs with an id below `before`, per run in id order: the ones a new one pairs with. */
async function earlierOccurrences(
  db: Kysely<Database>,
  runs: string[],
  before: number,
): Promise<Map<string, PairedOccurrence[]>> {
  const byRun = new Map<string, PairedOccurrence[]>();
  for (const chunk of inChunks(runs)) {
    const rows = await db
      .selectFrom("pattern_occurrences")
      .select(["id", "pattern_id", "workflow_id", "evidence"])
      .where("workflow_id", "in", chunk)
      .where("id", "<", before)
      .orderBy("id")
      .execute();
    for (const row of rows) {
      let ofRun = byRun.get(row.workflow_id);
      if (ofRun === undefined) {
        ofRun = [];
        byRun.set(row.workflow_id, ofRun);
      }
      ofRun.push({ pattern_id: row.pattern_id, calls: toolCallsOfEvidence(row.evidence) });
    }
  }
  return byRun;
}
