import { historyVersion, type PatternloopDatabase } from "@patternloop/db";

/** At most this many views are kept (a view is a page's data, a few kilobytes). */
const MAX_ENTRIES = 500;

/** A view's data and the moment it was read; `refreshing` while a newer read is under way. */
export interface CachedView<T> {
  value: T;
  asOf: Date;
  refreshing: boolean;
}

/**
 * The data of each view, read once per version of the history (`historyVersion`, a few index probes that
 * move with any write). A request on an unchanged history is answered after that one probe. After a write,
 * the view shows what it read last, saying when, while one new read runs: some figures still count every
 * occurrence (the error rates), the command tallies are counted again from every occurrence after some were
 * removed (a chunk at a time, letting requests in between), and a receiver taking hooks moves the version
 * all the time.
 */
export interface ViewCache {
  read<T>(key: string, load: () => Promise<T>): Promise<CachedView<T>>;
}

interface Entry {
  version: string;
  value: Promise<unknown>;
  asOf: Date;
  refresh?: Promise<void>;
}

export function createViewCache(database: PatternloopDatabase): ViewCache {
  const entries = new Map<string, Entry>();
  const start = (key: string, version: string, load: () => Promise<unknown>): Entry => {
    if (entries.size >= MAX_ENTRIES) entries.clear();
    const entry: Entry = { version, value: load(), asOf: new Date() };
    entries.set(key, entry);
    // A failed read is not kept: the next request tries again.
    entry.value.catch(() => {
      if (entries.get(key) === entry) entries.delete(key);
    });
    return entry;
  };
  return {
    async read<T>(key: string, load: () => Promise<T>): Promise<CachedView<T>> {
      const version = await historyVersion(database.db);
      let entry = entries.get(key);
      if (entry === undefined) entry = start(key, version, load);
      else if (entry.version !== version && entry.refresh === undefined) {
        const stale = entry;
        const asOf = new Date();
        // Started after this response is written: SQLite reads are synchronous, and a read begun here
        // would run to its end before the page read earlier is sent.
        stale.refresh = new Promise<void>((resolve) => setImmediate(resolve)).then(load).then(
          (value) => {
            if (entries.get(key) === stale)
              entries.set(key, { version, value: Promise.resolve(value), asOf });
          },
          () => {
            stale.refresh = undefined;
          },
        );
      }
      return {
        value: (await entry.value) as T,
        asOf: entry.asOf,
        refreshing: entry.refresh !== undefined,
      };
    },
  };
}
