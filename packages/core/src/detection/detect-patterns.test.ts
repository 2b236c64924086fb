import { describe, expect, it } from "vitest";
import type { WorkflowRecord } from "../workflow-record.js";
import { createDetector, detectPatterns } from "./detect-patterns.js";
import { DEFAULT_TARGET_CONFIG } from "./targets.js";

const bash = (...commands: string[]): WorkflowRecord => ({
  tool_calls: commands.map((command, i) => ({
    tool_name: "Bash",
    tool_input: { command },
    tool_use_id: `toolu_${i}`,
  })),
});
const signatures = (record: WorkflowRecord) => detectPatterns(record).map((pattern) => pattern.signature);

describe("detectPatterns", () => {
  it("keeps the spec's example signatures exactly", () => {
    expect(signatures(bash("cd app/server && uv run pytest -q"))).toEqual(["test:pytest:backend"]);
    expect(signatures(bash("cd app/client && npx vitest run"))).toEqual(["test:vitest:frontend"]);
    expect(signatures(bash("cd app/server && npx tsc --noEmit"))).toEqual(["build:typecheck:backend"]);
    expect(signatures(bash("cd app/server && go build ./..."))).toEqual(["build:compile:backend"]);
    expect(signatures(bash("npx prettier --check ."))).toEqual(["format:prettier:all"]);
    expect(signatures(bash("npx eslint src"))).toEqual(["format:eslint:all"]);
    expect(signatures(bash("git diff --stat"))).toEqual(["git:diff:summary"]);
    expect(signatures(bash("npm update"))).toEqual(["deps:npm:update"]);
    expect(signatures(bash("npx typedoc"))).toEqual(["docs:generate:all"]);
  });

  it("splits chained commands and reports each operation once", () => {
    const found = detectPatterns(
      bash("pytest -x && git diff --stat; git status | head", "pytest tests/unit"),
    );
    expect(found.map((p) => p.signature)).toEqual([
      "git:diff:summary",
      "git:status:summary",
      "test:pytest:backend",
    ]);
    expect(found.find((p) => p.signature === "test:pytest:backend")?.tool_call_indices).toEqual([0, 1]);
  });

  it("explains each detection with its source, text and rule", () => {
    const [pattern] = createDetector({ intent: "always" })({
      ...bash("uv run pytest"),
      nl_input: "Run the tests",
    });
    expect(pattern?.signature).toBe("test:pytest:backend");
    expect(pattern?.evidence[0]).toEqual({
      source: "tool_call",
      text: "uv run pytest",
      rule: "command:pytest",
      tool_call_index: 0,
      tool_use_id: "toolu_0",
    });
    expect(pattern?.evidence.some((e) => e.source === "request" && e.text === "tests")).toBe(true);
  });

  it("counts what a run with tool calls did, not what it was asked to do", () => {
    const record = {
      ...bash("git status"),
      nl_input: "Run the tests and regenerate the docs",
      workflow_template: "adw_test_iso",
    };
    expect(signatures(record)).toEqual(["git:status:summary"]);
    expect(signatures({ ...record, tool_calls: [] })).toEqual(["docs:generate:all", "test:generic:all"]);
    expect(createDetector({ intent: "always" })(record).map((p) => p.signature)).toEqual([
      "docs:generate:all",
      "git:status:summary",
      "test:generic:all",
    ]);
  });

  it("never pairs a generic fallback with the specific pattern it stands for", () => {
    expect(signatures({ nl_input: "Run pytest", workflow_template: "adw_test_iso" })).toEqual([
      "test:pytest:backend",
    ]);
    expect(signatures({ nl_input: "Update all dependencies", ...bash("npm install") })).toEqual([
      "deps:npm:update",
    ]);
    expect(signatures(bash("cd web && npm test", "cd api && pytest"))).toEqual([
      "test:generic:frontend",
      "test:pytest:backend",
    ]);
  });

  it("folds a fallback only into the operation of its own evidence, never across different commands", () => {
    expect(signatures(bash("npm run build", "npx tsc --noEmit"))).toEqual([
      "build:generic:all",
      "build:typecheck:all",
    ]);
    expect(signatures(bash("npm run build && npx tsc --noEmit"))).toEqual([
      "build:generic:all",
      "build:typecheck:all",
    ]);
    expect(signatures(bash("npm test", "npx vitest run src/cart.test.ts"))).toEqual([
      "test:generic:all",
      "test:vitest:frontend",
    ]);
    // A request or a template only describes an operation: it folds into the command that ran it.
    const asked = createDetector({ intent: "always" })({
      ...bash("npx tsc --noEmit"),
      nl_input: "Build the project",
    });
    expect(asked.map((p) => p.signature)).toEqual(["build:typecheck:all"]);
    expect(asked[0]?.evidence.map((e) => e.source)).toEqual(["tool_call", "request"]);
  });

  it("reads error messages", () => {
    expect(
      signatures({ error_message: "src/cart.tsx(12,3): error TS2322: Type 'string' is not assignable" }),
    ).toEqual(["build:typecheck:frontend"]);
    expect(signatures({ error_message: "TypeError: cannot read property 'x' of undefined" })).toEqual([]);
    expect(signatures({ error_message: "Command failed: `npm run build`" })).toEqual(["build:generic:all"]);
  });

  it("uses a template only when it names one operation", () => {
    expect(signatures({ workflow_template: "adw_test_iso" })).toEqual(["test:generic:all"]);
    for (const template of [
      "adw_document_iso",
      "adw_sdlc_iso",
      "adw_plan_build_test_iso",
      "adw_patch_iso",
      "adw_sdlc_zte_iso",
      "adw_build_iso",
    ]) {
      expect(signatures({ workflow_template: template }), template).toEqual([]);
    }
  });

  it("matches words, never substrings", () => {
    const traps = [
      "Update to the latest build of attestation",
      "Plan the contest",
      "Fix the majestic UI",
      "rapid invite pipeline",
      "constructor toString __proto__",
    ];
    for (const nl_input of traps) expect(signatures({ nl_input }), nl_input).toEqual([]);
  });

  it("infers targets from a configurable path map", () => {
    const detect = createDetector({
      targets: {
        ...DEFAULT_TARGET_CONFIG,
        paths: [
          { pattern: "packages/api/**", target: "backend" },
          { pattern: "packages/site", target: "frontend" },
        ],
      },
    });
    expect(detect(bash("cd packages/api && npx vitest run")).map((p) => p.signature)).toEqual([
      "test:vitest:backend",
    ]);
    expect(detect(bash("pnpm --dir packages/site build")).map((p) => p.signature)).toEqual([
      "build:generic:frontend",
    ]);
    expect(
      detect(bash("cd packages/api && pytest", "cd packages/site && npm test")).map((p) => p.signature),
    ).toEqual(["test:generic:frontend", "test:pytest:backend"]);
  });

  it("counts running a documentation generator as docs generation, never editing markdown by hand", () => {
    const edits: WorkflowRecord = {
      tool_calls: [
        { tool_name: "Edit", tool_input: { file_path: "/repo/README.md" } },
        { tool_name: "Write", tool_input: { file_path: "/repo/docs/setup.md" } },
        { tool_name: "MultiEdit", tool_input: { file_path: "/repo/CHANGELOG.md" } },
      ],
    };
    expect(signatures(edits)).toEqual([]);
    expect(signatures(bash("cargo doc --no-deps"))).toEqual(["docs:generate:all"]);
    expect(signatures(bash("npm run docs"))).toEqual(["docs:generate:all"]);
    expect(signatures(bash("uv run mkdocs build --strict"))).toEqual(["docs:generate:all"]);
  });

  it("reads a request for documentation as docs generation only when it asks to generate or build it", () => {
    for (const nl_input of [
      "Update the README with the new setup steps",
      "Add docstrings to the billing module",
      "Write documentation for the export endpoint",
      "Update the changelog and the docs",
    ])
      expect(signatures({ nl_input }), nl_input).toEqual([]);
    expect(signatures({ nl_input: "Run pytest, then update the README" })).toEqual(["test:pytest:backend"]);
    expect(signatures({ nl_input: "Generate API documentation" })).toEqual(["docs:generate:all"]);
    expect(signatures({ nl_input: "Rebuild the docs site with typedoc" })).toEqual(["docs:generate:all"]);
  });

  it("can be limited to executed evidence", () => {
    const detect = createDetector({ sources: ["tool_call", "error_message"] });
    expect(
      detect({ nl_input: "Run the tests and update the README", ...bash("git status") }).map(
        (p) => p.signature,
      ),
    ).toEqual(["git:status:summary"]);
  });
});

describe("commands seen in real histories", () => {
  it.each([
    ["pytest -v", "test:pytest:backend"],
    ["nix flake check --cores 4", "test:generic:all"],
    ["nix fmt", "format:nix:all"],
    ["bash scripts/run-tests.sh", "test:generic:all"],
    ["./build.sh --release", "build:generic:all"],
    ["node --test src/", "test:node:all"],
    ["node src/config.test.js", "test:node:all"],
    ["docker build --tag app .", "build:docker:all"],
    ["esphome compile device.yaml", "build:compile:all"],
    ["npm run check:format", "format:generic:all"],
    ["pnpm --filter web test", "test:generic:frontend"],
    ["git --no-pager diff HEAD~1", "git:diff:summary"],
    ["git ls-files", "git:ls-files:summary"],
    ["git ls-files --others --exclude-standard", "git:ls-files:summary"],
    ["git remote -v", "git:remote:summary"],
    ["git rev-parse --abbrev-ref HEAD", "git:rev-parse:summary"],
    ["gh run view 1234 --log-failed", "ci:status:summary"],
    ["gh run list --limit 5", "ci:status:summary"],
    ["gh run watch", "ci:status:summary"],
    ["gh pr checks 42", "ci:status:summary"],
    ["python test_wave2_imports.py", "test:generic:backend"],
    ["python3 -u scripts/test_mcao_standalone.py --verbose", "test:generic:backend"],
    ["uv run python tests/db_test.py", "test:generic:backend"],
  ])("%s → %s", (command, signature) => {
    expect(signatures(bash(command))).toEqual([signature]);
  });

  it.each([
    "gh run cancel 1234",
    "gh issue list",
    "gh pr create --fill",
    "python scripts/migrate.py",
    "python -c 'import test_x'",
    "python3 -m http.server",
    "pytest --version",
    "npm run dev",
    "ls -la tests/",
    "mkdir test-wizard",
    "grep -E '^test result:'",
    "echo build done",
  ])("%s is no operation", (command) => {
    expect(signatures(bash(command))).toEqual([]);
  });
});
