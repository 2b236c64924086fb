import type { Random } from "./random.js";
import { drawNoun, type WorkKind } from "./requests.js";
import { drawShellCommand } from "./shell-commands.js";

/**
 * A tool call in Claude Code's shape, as workflow histories store it. A type alias, not an interface, so
 * that it fits core's open `ToolCall` record type.
 */
export type SyntheticToolCall = {
  tool_name: "Bash" | "Read" | "Edit" | "Glob" | "Grep" | "Write";
  tool_input: Record<string, string | boolean>;
  success: boolean;
  timestamp: string;
  tool_use_id: string;
};

/** Options of {@link drawToolCalls}. */
export interface ToolCallsPlan {
  kind: WorkKind;
  /** The worktree the run works in (ADW isolates each run in `trees/<adw_id>`). */
  root: string;
  startMs: number;
  durationMs: number;
  /** A failed run's last operation fails. */
  failed: boolean;
}

const MIN_CALLS = 5;
const MAX_CALLS = 40;
/** Share of a run's calls that are Bash, by kind of work. */
const BASH_SHARE: Readonly<Record<WorkKind, number>> = {
  backend: 0.35,
  frontend: 0.35,
  fullstack: 0.35,
  deps: 0.5,
  docs: 0.15,
  chore: 0.45,
};

/**
 * The tool calls of one run: a look around (Glob, Grep, Read), then reads, edits and Bash commands drawn
 * for its kind of work, ending with a verifying command. Timestamps rise through the run.
 */
export function drawToolCalls(random: Random, plan: ToolCallsPlan): SyntheticToolCall[] {
  // Two dice: most runs are 10–25 calls, a few reach the extremes.
  const count = Math.min(MAX_CALLS, MIN_CALLS + random.int(0, 17) + random.int(0, 18));
  const calls: SyntheticToolCall[] = [];
  const step = plan.durationMs / (count + 1);
  for (let index = 0; index < count; index++) {
    const last = index === count - 1;
    const at = plan.startMs + step * (index + 0.5 + random.next() * 0.5);
    const call = last
      ? bash(random, plan, 1)
      : index < 2
        ? explore(random, plan)
        : random.chance(BASH_SHARE[plan.kind])
          ? bash(random, plan, 0.6)
          : fileCall(random, plan);
    const failedHere = call.tool_name === "Bash" && (last ? plan.failed : random.chance(0.06));
    calls.push({
      tool_name: call.tool_name,
      tool_input: call.tool_input,
      success: !failedHere,
      timestamp: new Date(Math.round(at)).toISOString(),
      tool_use_id: toolUseId(random),
    });
  }
  return calls;
}

type Call = Pick<SyntheticToolCall, "tool_name" | "tool_input">;

function bash(random: Random, plan: ToolCallsPlan, share: number): Call {
  return { tool_name: "Bash", tool_input: { command: drawShellCommand(random, plan.kind, share) } };
}

function explore(random: Random, plan: ToolCallsPlan): Call {
  if (random.chance(0.5))
    return { tool_name: "Glob", tool_input: { pattern: random.pick(GLOBS[plan.kind]) } };
  return {
    tool_name: "Grep",
    tool_input: {
      pattern: random.pick(["TODO", "def ", "export function", "useState", "router", "class "]),
      path: `${plan.root}/${random.pick(AREAS[plan.kind])}`,
      output_mode: "files_with_matches",
    },
  };
}

function fileCall(random: Random, plan: ToolCallsPlan): Call {
  const file_path = `${plan.root}/${filePath(random, plan.kind)}`;
  const roll = random.next();
  if (roll < 0.55) return { tool_name: "Read", tool_input: { file_path } };
  if (roll < 0.9) return { tool_name: "Edit", tool_input: { file_path, old_string: "…", new_string: "…" } };
  if (roll < 0.95) return { tool_name: "Write", tool_input: { file_path, content: "…" } };
  return { tool_name: "Grep", tool_input: { pattern: drawNoun(random, "module"), output_mode: "content" } };
}

const AREAS: Readonly<Record<WorkKind, readonly string[]>> = {
  backend: ["app/server"],
  frontend: ["app/client/src"],
  fullstack: ["app/server", "app/client/src"],
  deps: ["app/client", "app/server"],
  docs: ["docs", "app/server"],
  chore: ["app/client/src", "app/server"],
};

const GLOBS: Readonly<Record<WorkKind, readonly string[]>> = {
  backend: ["app/server/**/*.py", "app/server/tests/**/*.py"],
  frontend: ["app/client/src/**/*.tsx", "app/client/src/**/*.ts"],
  fullstack: ["app/**/*.py", "app/client/src/**/*.tsx"],
  deps: ["**/package.json", "app/server/pyproject.toml"],
  docs: ["docs/**/*.md", "*.md"],
  chore: ["app/client/src/**/*.ts", "app/server/**/*.py"],
};

function filePath(random: Random, kind: WorkKind): string {
  const module = drawNoun(random, "module");
  const component = drawNoun(random, "component");
  const backend = [
    `app/server/core/${module}.py`,
    `app/server/routes/${module}.py`,
    `app/server/tests/test_${module}.py`,
    "app/server/server.py",
  ];
  const frontend = [
    `app/client/src/components/${component}.tsx`,
    `app/client/src/components/${component}.test.tsx`,
    "app/client/src/api/client.ts",
    "app/client/src/types.ts",
  ];
  switch (kind) {
    case "backend":
      return random.pick(backend);
    case "frontend":
      return random.pick(frontend);
    case "deps":
      return random.pick(["package.json", "app/client/package.json", "app/server/pyproject.toml"]);
    case "docs":
      return random.pick(["README.md", "docs/api.md", "docs/setup.md", ...backend]);
    default:
      return random.pick(random.chance(0.5) ? backend : frontend);
  }
}

const BASE62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** `toolu_01` and 22 base-62 characters, as the Anthropic API numbers tool uses. */
function toolUseId(random: Random): string {
  let id = "toolu_01";
  for (let i = 0; i < 22; i++) id += BASE62[Math.floor(random.next() * 62)];
  return id;
}
