import type { Random } from "./random.js";
import { drawNoun, type WorkKind } from "./requests.js";

/** Share of runs that fail. */
export const FAILURE_RATE = 0.08;

/** Failures any run can meet: the API, the clock, the user. */
const COMMON = [
  'Claude Code error: API Error: 529 {"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}}',
  "Agent timed out after 1800 seconds",
  "[Request interrupted by user]",
  "Agent stopped: maximum number of turns reached",
  "git push failed: updates were rejected because the remote contains work that you do not have locally",
];

/** The error message of a failed run: half the time what its own operation reported. */
export function drawErrorMessage(random: Random, kind: WorkKind): string {
  if (random.chance(0.5)) return random.pick(COMMON);
  const module = drawNoun(random, "module");
  const component = drawNoun(random, "component");
  switch (kind) {
    case "backend":
      return `pytest failed: ${random.int(1, 9)} failed, ${random.int(20, 300)} passed (app/server/tests/test_${module}.py)`;
    case "frontend":
    case "fullstack":
      return `app/client/src/components/${component}.tsx(${random.int(3, 240)},${random.int(1, 40)}): error TS2322: Type 'string' is not assignable to type 'number'.`;
    case "deps":
      return "npm ERR! code ERESOLVE: unable to resolve dependency tree";
    default:
      return random.pick(COMMON);
  }
}

/** Retries of a run: failed runs were usually retried before giving up. */
export function drawRetryCount(random: Random, failed: boolean): number {
  if (failed) return random.int(0, 3);
  const roll = random.next();
  return roll < 0.85 ? 0 : roll < 0.97 ? 1 : 2;
}
