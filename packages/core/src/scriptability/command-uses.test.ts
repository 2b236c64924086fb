import { describe, expect, it } from "vitest";
import type { Evidence } from "../detection/detected-pattern.js";
import { summarizeCommands } from "./command-tally.js";
import { commandsOfEvidence, type OccurrenceEvidence } from "./command-uses.js";

const call = (text: string, index = 0): Evidence => ({
  source: "tool_call",
  text,
  rule: "command:test",
  tool_call_index: index,
});
const occurrence = (id: string, project: string | null, ...evidence: Evidence[]): OccurrenceEvidence => ({
  workflow_id: id,
  project,
  evidence: JSON.stringify(evidence),
});

describe("summarizeCommands", () => {
  it("counts command shapes by runs, most first, with their directories and projects", () => {
    const summary = summarizeCommands([
      occurrence(
        "r1",
        "acme/shop",
        call("cd app/server && uv run pytest -q tests/a.py"),
        call("uv run pytest -q", 3),
      ),
      occurrence("r2", "acme/shop", call("cd app/server && uv run pytest -q tests/b.py tests/c.py")),
      occurrence("r3", null, call("cd app/server && uv run pytest -q tests/a.py 2>&1 | tail -20")),
      occurrence("r4", "acme/api", call("uv run pytest -q")),
    ]);
    expect(summary.commands).toEqual([
      {
        command: "uv run pytest -q <paths>",
        count: 3,
        calls: 3,
        free_text: false,
        directories: [{ name: "app/server", count: 3 }],
        projects: [
          { name: "acme/shop", count: 2 },
          { name: "(unknown)", count: 1 },
        ],
        example: "cd app/server && uv run pytest -q tests/a.py",
      },
      {
        command: "uv run pytest -q",
        count: 2,
        calls: 2,
        free_text: false,
        directories: [],
        projects: [
          { name: "acme/api", count: 1 },
          { name: "acme/shop", count: 1 },
        ],
        example: "uv run pytest -q",
      },
    ]);
    expect(summary.scriptability).toEqual({
      occurrences: 4,
      runs_with_commands: 4,
      distinct_commands: 2,
      top_command: "uv run pytest -q <paths>",
      top_command_share: 0.75,
      free_text_share: 0,
      scriptability: 0.75,
    });
  });

  it("scores a command that needs the agent's words as unscriptable, however regular it is", () => {
    const commits = Array.from({ length: 10 }, (_, i) =>
      occurrence(`c${i}`, "acme/shop", call(`git commit -m "Change number ${i}"`)),
    );
    const { scriptability } = summarizeCommands([
      ...commits,
      occurrence("amend", "acme/shop", call("git commit --amend --no-edit")),
    ]);
    expect(scriptability.top_command).toBe("git commit -m <message>");
    expect(scriptability.top_command_share).toBeCloseTo(10 / 11, 12);
    expect(scriptability.free_text_share).toBeCloseTo(10 / 11, 12);
    expect(scriptability.scriptability).toBeCloseTo((10 / 11) * (1 / 11), 12);
  });

  it("counts runs known only from the request against the share: no command a script could run", () => {
    const summary = summarizeCommands(
      [
        occurrence("r1", null, call("npm run build")),
        occurrence("r2", null, { source: "request", text: "build it", rule: "request:tool-word" }),
      ],
      3,
    );
    expect(summary.scriptability).toMatchObject({
      occurrences: 3,
      runs_with_commands: 1,
      top_command_share: 1 / 3,
      free_text_share: 0,
    });
    expect(summarizeCommands([occurrence("r1", null)]).scriptability).toMatchObject({
      top_command: null,
      top_command_share: 0,
      free_text_share: null,
      scriptability: 0,
    });
  });
});

describe("commandsOfEvidence", () => {
  it("reads only executed tool calls, and nothing from malformed evidence", () => {
    const evidence: Evidence[] = [
      call("git diff", 2),
      { source: "request", text: "`git diff`", rule: "inline-command:git" },
      { source: "error_message", text: "git diff failed", rule: "text" },
    ];
    expect(commandsOfEvidence(JSON.stringify(evidence))).toEqual([
      { command: "git diff", tool_call_index: 2 },
    ]);
    for (const bad of [null, "", "{", "42", '{"a":1}', '[null, 3, {"source":"tool_call"}]'])
      expect(commandsOfEvidence(bad)).toEqual([]);
  });
});
