import { parseCommandTally } from "@patternloop/core";
import type { Kysely } from "kysely";
import type { Database } from "../schema/database.js";
import {
  occurrencesSince,
  readWatermark,
  storeFoldedTallies,
  type Watermark,
} from "../tallies/fold-pattern-tallies.js";
import { type PairedOccurrence, TallyCounts } from "../tallies/tally-counts.js";

/** One occurrence a backfill stored, as its tallies count it. */
export interface StoredOccurrence {
  signature: string;
  evidence: string | null;
}

/**
 * The pattern tallies of a backfill into an empty occurrence table, counted from the occurrences as it
 * stores them, where reading them all back at its end (`foldPatternTallies`) took a fifth of the backfill.
 * {@link finish} stores them only when the table then holds just those occurrences, exactly what the fold
 * would have read in the same order (ids are given in insertion order); otherwise (an occurrence stored
 * beside the backfill, a run that had one already, a fold meanwhile) it leaves the tallies to the fold.
 * Killed before then, nothing was stored and the next read folds, as it would have.
 */
export class BackfillTallies {
  readonly #counts = new TallyCounts();
  readonly #mark: Watermark;
  /** Whether the fold would start over from none: the watermark counts occurrences that are gone. */
  readonly #recount: boolean;
  /** The stored command tallies a pattern's count goes on from, once the backfill stores one of it. */
  readonly #stored = new Map<number, string>();
  readonly #patternIds = new Map<string, number>();
  #added = 0;
  #abandoned = false;

  private constructor(mark: Watermark) {
    this.#mark = mark;
    this.#recount = mark.count !== 0;
  }

  /** Counts a backfill's tallies, when its occurrence table is empty at the start; undefined otherwise. */
  static async start(db: Kysely<Database>): Promise<BackfillTallies | undefined> {
    const any = await db.selectFrom("pattern_occurrences").select("id").limit(1).executeTakeFirst();
    if (any !== undefined) return undefined;
    const tallies = new BackfillTallies(await readWatermark(db));
    // The fold goes on from the stored command tallies (unless it starts over).
    if (!tallies.#recount)
      for (const row of await db
        .selectFrom("pattern_command_tallies")
        .select(["pattern_id", "tally"])
        .execute())
        tallies.#stored.set(row.pattern_id, row.tally);
    return tallies;
  }

  /**
   * Counts the occurrences of runs that one committed transaction stored, runs and occurrences in the order
   * they were inserted. `complete` is false when some of them were there already: the runs had occurrences
   * before, which these would pair with, so the fold counts them instead.
   */
  async add(
    db: Kysely<Database>,
    runs: readonly { project: string | null; occurrences: readonly StoredOccurrence[] }[],
    complete: boolean,
  ): Promise<void> {
    if (this.#abandoned) return;
    if (!complete) {
      this.#abandoned = true;
      return;
    }
    await this.#learnPatternIds(db, runs);
    for (const run of runs) {
      const ofRun: PairedOccurrence[] = [];
      for (const occurrence of run.occurrences) {
        const patternId = this.#patternIds.get(occurrence.signature) as number;
        const stored = this.#stored.get(patternId);
        if (stored !== undefined && !this.#counts.tallies.has(patternId))
          this.#counts.tallies.set(patternId, parseCommandTally(stored));
        ofRun.push(
          this.#counts.add(
            { pattern_id: patternId, project: run.project, evidence: occurrence.evidence },
            ofRun,
          ),
        );
        this.#added++;
      }
    }
  }

  /**
   * Stores the tallies and moves the watermark past the backfill's occurrences, if the table holds just
   * them and no fold wrote since the start. Returns whether it did; if not, the fold is left to do.
   */
  async finish(db: Kysely<Database>): Promise<boolean> {
    if (this.#abandoned || this.#added === 0) return false;
    const mark = this.#mark;
    return db.transaction().execute(async (trx) => {
      const now = await readWatermark(trx);
      if (now.through !== mark.through || now.count !== mark.count) return false;
      const since = await occurrencesSince(trx, mark);
      // What the fold would read: every occurrence, each above the watermark.
      if (since.all !== this.#added || since.count !== this.#added) return false;
      const count = (this.#recount ? 0 : mark.count) + this.#added;
      return storeFoldedTallies(
        trx,
        this.#counts,
        mark,
        { through: Number(since.last), count },
        this.#recount,
      );
    });
  }

  /** The ids of the patterns of these runs not known yet (their rows exist: the runs were stored). */
  async #learnPatternIds(
    db: Kysely<Database>,
    runs: readonly { occurrences: readonly StoredOccurrence[] }[],
  ): Promise<void> {
    const unknown = new Set<string>();
    for (const run of runs)
      for (const { signature } of run.occurrences)
        if (!this.#patternIds.has(signature)) unknown.add(signature);
    if (unknown.size === 0) return;
    const rows = await db
      .selectFrom("operation_patterns")
      .select(["id", "pattern_signature"])
      .where("pattern_signature", "in", [...unknown])
      .execute();
    for (const row of rows) this.#patternIds.set(row.pattern_signature, row.id);
  }
}
