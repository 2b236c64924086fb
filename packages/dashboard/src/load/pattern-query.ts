import { AUTOMATION_STATUSES, type AutomationStatus } from "@patternloop/db";

/** The columns the pattern list sorts by, and the figure of a listed pattern each one reads. */
export const SORT_KEYS = [
  "savings",
  "scriptable_savings",
  "occurrences",
  "cost_per_use",
  "scriptability",
  "confidence",
  "live_accuracy",
  "replayed_accuracy",
  "last_seen",
] as const;
export type SortKey = (typeof SORT_KEYS)[number];

/** What the pattern list was asked for, from its query string. */
export interface PatternQuery {
  sort: SortKey;
  dir: "asc" | "desc";
  category: string;
  status: AutomationStatus | "";
  project: string;
}

export const DEFAULT_PATTERN_QUERY: PatternQuery = {
  sort: "scriptable_savings",
  dir: "desc",
  category: "",
  status: "",
  project: "",
};

/**
 * The list's query from a query string; an unknown sort or status falls back to the default rather than an
 * error page, since these come from links and form fields a user may have edited.
 */
export function parsePatternQuery(params: Record<string, string | undefined>): PatternQuery {
  const sort = SORT_KEYS.find((key) => key === params.sort) ?? DEFAULT_PATTERN_QUERY.sort;
  const status = AUTOMATION_STATUSES.find((value) => value === params.status) ?? "";
  return {
    sort,
    dir: params.dir === "asc" ? "asc" : "desc",
    category: (params.category ?? "").trim(),
    status,
    project: (params.project ?? "").trim(),
  };
}
