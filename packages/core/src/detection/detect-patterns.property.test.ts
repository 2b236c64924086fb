import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isValidSignature } from "../signature.js";
import type { WorkflowRecord } from "../workflow-record.js";
import { detectPatterns } from "./detect-patterns.js";

const COMMANDS = [
  "pytest -q",
  "cd app/client && npx vitest run",
  "npm run build",
  "git status",
  "npm install",
  "ls -la",
  "cargo test",
  "npx tsc --noEmit 2>&1 | head",
];
const WORDS = [
  "run",
  "the",
  "tests",
  "latest",
  "build",
  "project",
  "client",
  "fix",
  "bug",
  "api",
  "README",
  "update",
  "dependencies",
  "lint",
  "a",
  "and",
  "`npm test`",
  "black",
  "format",
];

const text = fc.oneof(
  fc.string(),
  fc.array(fc.constantFrom(...WORDS), { maxLength: 12 }).map((words) => words.join(" ")),
);
const toolCall = fc.record({
  tool_name: fc.constantFrom("Bash", "Read", "Edit", "Write"),
  tool_input: fc.oneof(
    fc.record({ command: fc.oneof(fc.constantFrom(...COMMANDS), fc.string()) }),
    fc.record({ file_path: fc.constantFrom("README.md", "src/a.ts") }),
  ),
  tool_use_id: fc.option(fc.string(), { nil: undefined }),
});
const knownCommand = fc
  .constantFrom(...COMMANDS)
  .map((command) => ({ tool_name: "Bash", tool_input: { command } }));
const record = fc.record(
  {
    nl_input: fc.option(text, { nil: null }),
    workflow_template: fc.option(fc.constantFrom("adw_test_iso", "adw_sdlc_iso", "lint", "x"), { nil: null }),
    error_message: fc.option(text, { nil: null }),
    tool_calls: fc.array(fc.oneof(knownCommand, toolCall), { maxLength: 6 }),
  },
  { requiredKeys: [] },
);

describe("detection properties", () => {
  it("never throws on any value, and reports only valid, unique signatures", () => {
    fc.assert(
      fc.property(fc.oneof(record, fc.anything()), (input) => {
        const found = detectPatterns(input as WorkflowRecord);
        const list = found.map((pattern) => pattern.signature);
        expect(list.every((signature) => isValidSignature(signature))).toBe(true);
        expect(new Set(list).size).toBe(list.length);
      }),
      { numRuns: 500 },
    );
  });

  it("never throws on arbitrary shell text", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), (command) => {
        detectPatterns({
          tool_calls: [{ tool_name: "Bash", tool_input: { command } }],
          nl_input: command,
          error_message: command,
        });
      }),
      { numRuns: 1000 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(record, (input) => {
        expect(detectPatterns(input)).toEqual(detectPatterns(structuredClone(input)));
      }),
    );
  });

  it("finds in a run's tool calls exactly what it finds in each call alone", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(knownCommand, toolCall), { maxLength: 6 }), (calls) => {
        const alone = new Set(
          calls.flatMap((call) => detectPatterns({ tool_calls: [call] }).map((pattern) => pattern.signature)),
        );
        const together = detectPatterns({ tool_calls: calls }).map((pattern) => pattern.signature);
        expect(together).toEqual([...alone].sort());
      }),
      { numRuns: 300 },
    );
  });

  it("keeps every pattern found from tool calls when unrelated words are appended to the request", () => {
    fc.assert(
      fc.property(
        record,
        fc.array(fc.constantFrom("please", "thanks", "the", "quickly", "today", "colour", "banner"), {
          minLength: 1,
          maxLength: 5,
        }),
        (input, extra) => {
          const fromTools = new Set(detectPatterns({ tool_calls: input.tool_calls }).map((p) => p.signature));
          const after = new Set(
            detectPatterns({ ...input, nl_input: `${input.nl_input ?? ""} ${extra.join(" ")}` }).map(
              (p) => p.signature,
            ),
          );
          // A pattern a command gave is its own operation: never lost, never folded into another.
          for (const signature of fromTools) expect(after.has(signature), signature).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});
