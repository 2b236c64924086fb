import type { Target } from "../signature.js";

/** Maps paths matching a glob (`app/server/**`, `packages/api/**`) to a target. */
export interface TargetPathRule {
  pattern: string;
  target: "backend" | "frontend";
}

/** How detection decides between `backend`, `frontend`, `both` and `all`. */
export interface TargetConfig {
  /** Checked first, in order; a path matches when the glob matches it from any folder boundary. */
  readonly paths: readonly TargetPathRule[];
  /** Folder names (and request words) that mean the back end. */
  readonly backendNames: readonly string[];
  /** Folder names (and request words) that mean the front end. */
  readonly frontendNames: readonly string[];
}

export const DEFAULT_TARGET_CONFIG: TargetConfig = Object.freeze({
  paths: [],
  backendNames: ["server", "backend", "back-end", "api", "apis", "service", "services"],
  frontendNames: ["client", "frontend", "front-end", "web", "ui", "webapp", "www"],
});

const FRONTEND_FILE = /\.(?:tsx|jsx|vue|svelte|css|scss|html)$/i;
const BACKEND_FILE = /\.py$/i;

/** A compiled target config: globs turned into regular expressions once. */
export interface TargetResolver {
  ofPath(path: string): "backend" | "frontend" | undefined;
  ofWord(word: string): "backend" | "frontend" | undefined;
}

/** Compiles a config for repeated use; detection calls this once per configuration. */
export function createTargetResolver(config: TargetConfig = DEFAULT_TARGET_CONFIG): TargetResolver {
  const rules = config.paths.map((rule) => ({ regex: globToRegex(rule.pattern), target: rule.target }));
  const backend = new Set(config.backendNames);
  const frontend = new Set(config.frontendNames);
  const ofWord = (word: string) =>
    backend.has(word) ? "backend" : frontend.has(word) ? "frontend" : undefined;
  return {
    ofWord,
    ofPath(path) {
      const normalized = path.replace(/\\/g, "/").toLowerCase();
      for (const rule of rules) if (rule.regex.test(normalized)) return rule.target;
      const segments = normalized.split("/").filter((segment) => segment !== "" && segment !== ".");
      // In an absolute path the leading folders are the user's home and workspace, not the repository.
      const relevant = /^(?:\/|[a-z]:|~)/.test(normalized) ? segments.slice(-4) : segments;
      for (const segment of relevant) {
        const target = ofWord(segment);
        if (target !== undefined) return target;
      }
      if (FRONTEND_FILE.test(normalized)) return "frontend";
      if (BACKEND_FILE.test(normalized)) return "backend";
      return undefined;
    },
  };
}

/** `backend` + `frontend` → `both`; one of them → itself; none → undefined. */
export function combineTargets(targets: Iterable<"backend" | "frontend" | undefined>): Target | undefined {
  let backend = false;
  let frontend = false;
  for (const target of targets) {
    if (target === "backend") backend = true;
    else if (target === "frontend") frontend = true;
  }
  if (backend && frontend) return "both";
  return backend ? "backend" : frontend ? "frontend" : undefined;
}

function globToRegex(glob: string): RegExp {
  const trimmed = glob
    .replace(/\\/g, "/")
    .toLowerCase()
    .replace(/^\.?\/+/, "")
    .replace(/\/\*\*$/, "");
  let source = "";
  for (let i = 0; i < trimmed.length; i++) {
    const c = trimmed[i] as string;
    if (c === "*" && trimmed[i + 1] === "*") {
      source += ".*";
      i++;
    } else if (c === "*") source += "[^/]*";
    else if (c === "?") source += "[^/]";
    else source += c.replace(/[.+^${}()|[\]]/g, "\\$&");
  }
  return new RegExp(`(?:^|/)${source}(?:/|$)`);
}
