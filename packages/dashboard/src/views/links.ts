import type { PatternQuery } from "../load/pattern-query.js";

/**
 * Where each view lives: pages of the server, or sections of the one-file report. The views take it as a
 * value, so that the same markup serves both.
 */
export interface Links {
  /** True in the report, where sorting and filtering happen in the page (there is no server to ask). */
  inPage: boolean;
  overview: string;
  patterns: (query?: Partial<PatternQuery>) => string;
  pattern: (id: number) => string;
  validation: string;
}

/** Links between the pages `dashboardRoutes` serves under `base` (`""` at the root). */
export function serverLinks(base = ""): Links {
  return {
    inPage: false,
    overview: `${base}/`,
    patterns: (query) => {
      const params = new URLSearchParams();
      for (const [key, value] of Object.entries(query ?? {}))
        if (value !== undefined && value !== "") params.set(key, String(value));
      const search = params.toString();
      return `${base}/patterns${search === "" ? "" : `?${search}`}`;
    },
    pattern: (id) => `${base}/patterns/${id}`,
    validation: `${base}/validation`,
  };
}

/** Links between the sections of the report. */
export const reportLinks: Links = {
  inPage: true,
  overview: "#overview",
  patterns: () => "#patterns",
  pattern: (id) => `#pattern-${id}`,
  validation: "#validation",
};
