import { readShellCommands } from "../shell/read-commands.js";
import { type Category, formatSignature, type Signature, type Target } from "../signature.js";
import type { WorkflowRecord } from "../workflow-record.js";
import { matchCommand } from "./command-rules.js";
import {
  type DetectedPattern,
  EVIDENCE_SOURCES,
  type Evidence,
  type EvidenceSource,
  MAX_EVIDENCE,
} from "./detected-pattern.js";
import type { OperationMatch } from "./operation.js";
import {
  combineTargets,
  createTargetResolver,
  DEFAULT_TARGET_CONFIG,
  type TargetConfig,
  type TargetResolver,
} from "./targets.js";
import { matchTemplate } from "./template-rules.js";
import { matchText } from "./text-rules.js";

/** Options of {@link createDetector}. */
export interface DetectorOptions {
  /** How paths and words map to `backend` / `frontend`; defaults to {@link DEFAULT_TARGET_CONFIG}. */
  targets?: TargetConfig;
  /** Which sources to read; all four by default. */
  sources?: readonly EvidenceSource[];
  /**
   * The request and the template say what a run was asked to do, not what it did. With `"fallback"` (the
   * default) they are read only for a run without tool calls, where intent is the best evidence there is; a
   * run with tool calls counts what it executed (and its error message). `"always"` reads them regardless.
   */
  intent?: "fallback" | "always";
}

/** A compiled detector: a pure function from a workflow record to its patterns. */
export type Detector = (record: WorkflowRecord) => DetectedPattern[];

const TYPED_TARGETS: ReadonlySet<Category> = new Set(["test", "build"]);
const FIXED_TARGETS: ReadonlyMap<Category, string> = new Map([
  ["format", "all"],
  ["git", "summary"],
  ["deps", "update"],
  ["docs", "all"],
  ["ci", "summary"],
]);
const TS_ERROR = /\berror TS\d{4}\b|\bTS\d{4}:/;
const INLINE_CODE = /`([^`\n]{2,200})`/g;
const PATH_LIKE = /[/\\]|\.[a-z]{1,5}$/i;

/**
 * Builds a detector for a configuration. Detection is deterministic and never throws: any record,
 * however malformed, gives a (possibly empty) list of valid, de-duplicated signatures.
 *
 * @example
 * const detect = createDetector({ targets: { ...DEFAULT_TARGET_CONFIG, paths: [{ pattern: "packages/api/**", target: "backend" }] } });
 * detect({ tool_calls: [{ tool_name: "Bash", tool_input: { command: "cd packages/api && npx vitest run" } }] });
 * // [{ signature: "test:vitest:backend", … }]
 */
export function createDetector(options: DetectorOptions = {}): Detector {
  const resolver = createTargetResolver(options.targets ?? DEFAULT_TARGET_CONFIG);
  const sources = new Set(options.sources ?? EVIDENCE_SOURCES);
  const intentAlways = options.intent === "always";
  const remembered = new Map<string, CommandReading>();
  return (record) => {
    const found = new Collector();
    if (record === null || typeof record !== "object") return [];
    const readIntent = intentAlways || !Array.isArray(record.tool_calls) || record.tool_calls.length === 0;
    if (sources.has("tool_call")) readToolCalls(record.tool_calls, resolver, remembered, found);
    if (sources.has("error_message") && typeof record.error_message === "string") {
      readText(record.error_message, "error_message", resolver, found);
      readTypeScriptError(record.error_message, resolver, found);
    }
    if (readIntent && sources.has("request") && typeof record.nl_input === "string")
      readText(record.nl_input, "request", resolver, found);
    if (readIntent && sources.has("template") && typeof record.workflow_template === "string") {
      const match = matchTemplate(record.workflow_template);
      if (match !== undefined) {
        found.add(signatureOf(match, undefined), {
          source: "template",
          text: record.workflow_template,
          rule: match.rule,
        });
      }
    }
    return found.result();
  };
}

let defaultDetector: Detector | undefined;

/** Detects the patterns of one workflow record with the default configuration (§3). */
export function detectPatterns(record: WorkflowRecord, options?: DetectorOptions): DetectedPattern[] {
  if (options !== undefined) return createDetector(options)(record);
  defaultDetector ??= createDetector();
  return defaultDetector(record);
}

/** The operations one shell command performs, with their rules; the same command always gives the same. */
type CommandReading = readonly { signature: Signature; rule: string }[];

/** Commands recur across runs (`git status`, `npm run build`): each detector remembers its readings. */
const MAX_REMEMBERED_COMMANDS = 20_000;
const MAX_REMEMBERED_LENGTH = 400;

function readCommand(command: string, resolver: TargetResolver): CommandReading {
  const reading: { signature: Signature; rule: string }[] = [];
  for (const simple of readShellCommands(command)) {
    const match = matchCommand(simple);
    if (match === undefined) continue;
    const paths = [
      ...simple.dirs,
      ...simple.args.filter((arg) => !arg.startsWith("-") && PATH_LIKE.test(arg)),
    ];
    reading.push({
      signature: signatureOf(match, combineTargets(paths.map((path) => resolver.ofPath(path)))),
      rule: match.rule,
    });
  }
  return reading;
}

function readToolCalls(
  calls: unknown,
  resolver: TargetResolver,
  remembered: Map<string, CommandReading>,
  found: Collector,
): void {
  if (!Array.isArray(calls)) return;
  calls.forEach((call: unknown, index) => {
    if (call === null || typeof call !== "object") return;
    const { tool_name: name, tool_input: input, tool_use_id: id } = call as Record<string, unknown>;
    // Only a shell command runs an operation a script could take over. Other tools (Edit, Write, Read…) are
    // the agent's own work: a README or a CHANGELOG edited by hand is prose, not docs generation.
    if (name !== "Bash" || input === null || typeof input !== "object") return;
    const command = (input as { command?: unknown }).command;
    if (typeof command !== "string") return;
    const toolUseId = typeof id === "string" ? { tool_use_id: id } : {};
    let reading = remembered.get(command);
    if (reading === undefined) {
      reading = readCommand(command, resolver);
      // Long commands (scripts, here-documents) seldom recur; keeping them would only hold memory.
      if (command.length <= MAX_REMEMBERED_LENGTH) {
        if (remembered.size >= MAX_REMEMBERED_COMMANDS) remembered.clear();
        remembered.set(command, reading);
      }
    }
    for (const { signature, rule } of reading) {
      found.add(
        signature,
        { source: "tool_call", text: command, rule, tool_call_index: index, ...toolUseId },
        { command: true, toolCallIndex: index },
      );
    }
  });
}

function readText(text: string, source: EvidenceSource, resolver: TargetResolver, found: Collector): void {
  for (const match of matchText(text)) {
    const target = combineTargets(match.sentence.map((word) => resolver.ofWord(word)));
    found.add(signatureOf(match, target), { source, text: match.text, rule: match.rule });
  }
  for (const inline of text.matchAll(INLINE_CODE)) {
    for (const simple of readShellCommands(inline[1] ?? "")) {
      const match = matchCommand(simple);
      if (match === undefined) continue;
      const target = combineTargets(simple.dirs.map((dir) => resolver.ofPath(dir)));
      found.add(
        signatureOf(match, target),
        { source, text: inline[1] ?? "", rule: `inline-${match.rule}` },
        { command: true },
      );
    }
  }
}

/** `src/cart.tsx(12,3): error TS2322: …` is a failed type check, of the front end here. */
function readTypeScriptError(message: string, resolver: TargetResolver, found: Collector): void {
  const code = TS_ERROR.exec(message);
  if (code === null) return;
  const paths = message.split(/[\s():,'"]+/).filter((token) => PATH_LIKE.test(token));
  const target = combineTargets(paths.map((path) => resolver.ofPath(path)));
  found.add(typed("build", "typecheck", target, "all"), {
    source: "error_message",
    text: code[0],
    rule: "error:typescript-code",
  });
}

function typed(
  category: Category,
  subcategory: string,
  target: Target | undefined,
  fallback: Target,
): Signature {
  return formatSignature({ category, subcategory, target: target ?? fallback }) as Signature;
}

function signatureOf(match: OperationMatch, target: Target | undefined): Signature {
  if (TYPED_TARGETS.has(match.category))
    return typed(match.category, match.subcategory, target, match.defaultTarget ?? "all");
  const subcategory = match.category === "docs" ? "generate" : match.subcategory;
  return formatSignature({
    category: match.category,
    subcategory,
    target: FIXED_TARGETS.get(match.category) ?? "all",
  }) as Signature;
}

/** How a piece of evidence was found: from a shell command (run, or quoted in text), and which tool call. */
interface EvidenceOrigin {
  command?: boolean;
  toolCallIndex?: number;
}

/**
 * Gathers evidence per signature, then folds generic fallbacks into the specific patterns they duplicate.
 * A shell command is one operation, matched by one rule: a pattern some command gave is never a fallback,
 * even beside a more specific one (`npm run build` is a build, not part of the `tsc --noEmit` that also ran).
 * Only words (a request, a template, an error message) may describe the same operation twice.
 */
class Collector {
  private readonly patterns = new Map<
    Signature,
    { evidence: Evidence[]; indices: number[]; fromCommand: boolean }
  >();

  add(signature: Signature, evidence: Evidence, origin: EvidenceOrigin = {}): void {
    const { command = false, toolCallIndex } = origin;
    let entry = this.patterns.get(signature);
    if (entry === undefined) {
      entry = { evidence: [], indices: [], fromCommand: false };
      this.patterns.set(signature, entry);
    }
    if (command) entry.fromCommand = true;
    // Evidence arrives strongest source first; past the cap, later pieces would be cut anyway.
    if (entry.evidence.length < MAX_EVIDENCE) entry.evidence.push(evidence);
    if (toolCallIndex !== undefined && entry.indices[entry.indices.length - 1] !== toolCallIndex)
      entry.indices.push(toolCallIndex);
  }

  result(): DetectedPattern[] {
    for (const signature of this.patterns.size < 2 ? [] : [...this.patterns.keys()]) {
      const from = this.patterns.get(signature);
      if (from === undefined || from.fromCommand) continue;
      const into = fallbackOwner(signature, [...this.patterns.keys()]);
      if (into === undefined) continue;
      const to = this.patterns.get(into);
      if (to === undefined) continue;
      to.evidence.push(...from.evidence);
      this.patterns.delete(signature);
    }
    return [...this.patterns.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([signature, { evidence, indices }]) => ({
        signature,
        category: signature.slice(0, signature.indexOf(":")) as Category,
        evidence: strongestFirst(evidence).slice(0, MAX_EVIDENCE),
        tool_call_indices: indices,
      }));
  }
}

/**
 * The specific signature that makes `signature` a mere fallback, if any: `test:generic:all` beside
 * `test:pytest:backend`, `deps:generic:update` beside `deps:npm:update`, `test:pytest:all` beside
 * `test:pytest:backend`. A generic pattern with its own target (`test:generic:frontend`) stays.
 */
function fallbackOwner(signature: Signature, all: readonly Signature[]): Signature | undefined {
  const [category, subcategory, target] = partsOf(signature);
  const broad = target === "all" || target === "both" || target === "update";
  if (subcategory !== "generic" && target !== "all") return undefined;
  for (const other of all) {
    if (other === signature) continue;
    const [otherCategory, otherSubcategory, otherTarget] = partsOf(other);
    if (otherCategory !== category) continue;
    if (subcategory === "generic" && otherSubcategory !== "generic" && (broad || otherTarget === target))
      return other;
    if (subcategory === otherSubcategory && target === "all" && otherTarget !== "all") return other;
  }
  return undefined;
}

/** Signatures are few and recur in every run: split each once. */
const PARTS = new Map<Signature, readonly [string, string, string]>();

function partsOf(signature: Signature): readonly [string, string, string] {
  let parts = PARTS.get(signature);
  if (parts === undefined) {
    parts = signature.split(":") as [string, string, string];
    if (PARTS.size < 10_000) PARTS.set(signature, parts);
  }
  return parts;
}

function strongestFirst(evidence: Evidence[]): Evidence[] {
  const rank = (source: EvidenceSource) => EVIDENCE_SOURCES.indexOf(source);
  return evidence
    .map((item, order) => ({ item, order }))
    .sort((a, b) => rank(a.item.source) - rank(b.item.source) || a.order - b.order)
    .map(({ item }) => item);
}
