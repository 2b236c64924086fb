import {
  addCommandsToTally,
  type CommandShape,
  type CommandTally,
  commandsOfEvidence,
  emptyCommandTally,
  parseCommandTally,
  stringifyCommandTally,
  toolCallsOfCommands,
  toolCallsOfEvidence,
} from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";

/** Occurrences read per step; between steps other work on the thread (a server's requests) gets its turn. */
const CHUNK = 2000;
/** Run ids per `in` list. */
const RUNS_PER_QUERY = 500;

/** What a fold did: how many occurrences it added, and whether it started over from none. */
export interface FoldedTallies {
  folded: number;
  recounted: boolean;
}

/** The fold under way on each database handle, so that concurrent readers wait for one fold. */
const underWay = new WeakMap<object, Promise<FoldedTallies>>();

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
      total = { folded: total.folded + outcome.folded, recounted: total.recounted || outcome.recounted };
      if (outcome.folded === 0 || !outcome.recounted) return total;
    }
    return total;
  })().finally(() => underWay.delete(db));
  underWay.set(db, fold);
  return fold;
}

interface Watermark {
  through: number;
  count: number;
}

interface PairCounts {
  sameRun: number;
  sameCommand: number;
}

/** An occurrence as the pair count needs it: its pattern and the tool calls its evidence names. */
interface PairedOccurrence {
  pattern_id: number;
  calls: Set<number>;
}

async function foldOnce(db: Kysely<Database>): Promise<FoldedTallies | "raced"> {
  const mark = await readWatermark(db);
  const all = await db
    .selectFrom("pattern_occurrences")
    .select((eb) => eb.fn.countAll<number | string>().as("n"))
    .executeTakeFirstOrThrow();
  const since = await db
    .selectFrom("pattern_occurrences")
    .select((eb) => [eb.fn.countAll<number | string>().as("n"), eb.fn.max("id").as("last")])
    .where("id", ">", mark.through)
    .executeTakeFirstOrThrow();
  const fresh = Number(since.n);
  const recount = Number(all.n) !== mark.count + fresh;
  if (!recount && fresh === 0) return { folded: 0, recounted: false };
  const last = recount
    ? Number(
        (
          await db
            .selectFrom("pattern_occurrences")
            .select((eb) => eb.fn.max("id").as("last"))
            .executeTakeFirstOrThrow()
        ).last ?? 0,
      )
    : Number(since.last);
  const from: Watermark = recount ? { through: 0, count: 0 } : mark;

  const tallies = new Map<number, CommandTally>();
  const pairs = new Map<string, PairCounts>();
  const shapes = new Map<string, CommandShape>();
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
    if (!recount) await loadStoredTallies(db, tallies, [...new Set(rows.map((row) => row.pattern_id))]);
    const earlier = await earlierOccurrences(db, [...new Set(rows.map((row) => row.workflow_id))], first.id);
    for (const row of rows) {
      let tally = tallies.get(row.pattern_id);
      if (tally === undefined) {
        tally = emptyCommandTally();
        tallies.set(row.pattern_id, tally);
      }
      // Parsed once for both counts: parsing the evidence is most of what a fold costs but reading it.
      const commands = commandsOfEvidence(row.evidence);
      addCommandsToTally(tally, commands, row.project, shapes);
      const mine: PairedOccurrence = { pattern_id: row.pattern_id, calls: toolCallsOfCommands(commands) };
      let ofRun = earlier.get(row.workflow_id);
      if (ofRun === undefined) {
        ofRun = [];
        earlier.set(row.workflow_id, ofRun);
      }
      for (const other of ofRun) countPair(pairs, mine, other);
      ofRun.push(mine);
    }
    folded += rows.length;
    cursor = rows[rows.length - 1]?.id ?? cursor;
    if (shapes.size > 50_000) shapes.clear();
    await new Promise((resolve) => setImmediate(resolve));
  }

  // A caller's transaction holds the write; otherwise the fold's own does.
  const inTransaction = <T>(work: (trx: Kysely<Database>) => Promise<T>) =>
    db.isTransaction ? work(db) : db.transaction().execute(work);
  const written = await inTransaction(async (trx) => {
    const moved = await trx
      .updateTable("pattern_tally_watermark")
      .set({ folded_through: cursor, folded_count: from.count + folded })
      .where("id", "=", 1)
      .where("folded_through", "=", mark.through)
      .where("folded_count", "=", mark.count)
      .executeTakeFirst();
    if (Number(moved.numUpdatedRows) !== 1) return false;
    if (recount) {
      await trx.deleteFrom("pattern_command_tallies").execute();
      await trx.deleteFrom("pattern_pair_tallies").execute();
    }
    for (const [patternId, tally] of [...tallies].sort(([a], [b]) => a - b)) {
      const text = stringifyCommandTally(tally);
      await trx
        .insertInto("pattern_command_tallies")
        .values({ pattern_id: patternId, tally: text })
        .onConflict((oc) => oc.column("pattern_id").doUpdateSet({ tally: text }))
        .execute();
    }
    for (const [key, counts] of [...pairs].sort(([a], [b]) => (a < b ? -1 : 1))) {
      const [patternId, otherId] = key.split(" ").map(Number) as [number, number];
      await trx
        .insertInto("pattern_pair_tallies")
        .values({
          pattern_id: patternId,
          other_id: otherId,
          same_run: counts.sameRun,
          same_command: counts.sameCommand,
        })
        .onConflict((oc) =>
          oc.columns(["pattern_id", "other_id"]).doUpdateSet((eb) => ({
            same_run: eb("pattern_pair_tallies.same_run", "+", counts.sameRun),
            same_command: eb("pattern_pair_tallies.same_command", "+", counts.sameCommand),
          })),
        )
        .execute();
    }
    return true;
  });
  return written ? { folded, recounted: recount } : "raced";
}

async function readWatermark(db: Kysely<Database>): Promise<Watermark> {
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
  tallies: Map<number, CommandTally>,
  patternIds: number[],
): Promise<void> {
  const missing = patternIds.filter((id) => !tallies.has(id));
  if (missing.length === 0) return;
  const rows = await db
    .selectFrom("pattern_command_tallies")
    .select(["pattern_id", "tally"])
    .where("pattern_id", "in", missing)
    .execute();
  for (const row of rows) tallies.set(row.pattern_id, parseCommandTally(row.tally));
}

/** The occurrences of these runs with an id below `before`, per run in id order: the ones a new one pairs with. */
async function earlierOccurrences(
  db: Kysely<Database>,
  runs: string[],
  before: number,
): Promise<Map<string, PairedOccurrence[]>> {
  const byRun = new Map<string, PairedOccurrence[]>();
  for (let i = 0; i < runs.length; i += RUNS_PER_QUERY) {
    const rows = await db
      .selectFrom("pattern_occurrences")
      .select(["id", "pattern_id", "workflow_id", "evidence"])
      .where("workflow_id", "in", runs.slice(i, i + RUNS_PER_QUERY))
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

/** Counts one run of two patterns together, both ways, and whether they shared a tool call in it. */
function countPair(pairs: Map<string, PairCounts>, a: PairedOccurrence, b: PairedOccurrence): void {
  if (a.pattern_id === b.pattern_id) return;
  let shared = false;
  for (const call of a.calls) if (b.calls.has(call)) shared = true;
  for (const key of [`${a.pattern_id} ${b.pattern_id}`, `${b.pattern_id} ${a.pattern_id}`]) {
    const counts = pairs.get(key) ?? { sameRun: 0, sameCommand: 0 };
    counts.sameRun += 1;
    if (shared) counts.sameCommand += 1;
    pairs.set(key, counts);
  }
}
