import { historyVersion, type PatternloopDatabase } from "@patternloop/db";

/** At most this many views are kept between writes (a view is a page's data, a few kilobytes). */
const MAX_ENTRIES = 500;

/**
 * The data of each view, derived once per version of the history: a request on an unchanged history is
 * answered from here after one cheap version probe, and any write (a run, an occurrence, a validation, a
 * status change) moves the version and drops every entry. Some figures (scriptability, commands, error
 * rates) read every occurrence of a pattern through the db functions the CLI uses; this keeps them the
 * same figures without reading them again for every page.
 */
export interface ViewCache {
  read<T>(key: string, load: () => Promise<T>): Promise<T>;
}

export function createViewCache(database: PatternloopDatabase): ViewCache {
  let version: string | undefined;
  const entries = new Map<string, Promise<unknown>>();
  return {
    async read<T>(key: string, load: () => Promise<T>): Promise<T> {
      const current = await historyVersion(database.db);
      if (current !== version) {
        entries.clear();
        version = current;
      }
      let entry = entries.get(key) as Promise<T> | undefined;
      if (entry === undefined) {
        if (entries.size >= MAX_ENTRIES) entries.clear();
        entry = load();
        entries.set(key, entry);
        // A failed read is not kept: the next request tries again.
        entry.catch(() => {
          if (entries.get(key) === entry) entries.delete(key);
        });
      }
      return entry;
    },
  };
}
