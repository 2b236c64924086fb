import { spawnSync } from "node:child_process";
import {
  chmodSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  statSync,
  writeFileSync,
} from "node:fs";
import { join } from "node:path";
import { createDatabase } from "@patternloop/db";
import { changeStatus } from "@patternloop/validator";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli } from "./run-cli.js";
import { runOk } from "./support/history.js";
import { expectRefusal } from "./support/refusal.js";
import { query } from "./support/sqlite.js";
import { tempDirectory } from "./support/temp-directory.js";

const NODE = "test:node:frontend";
const PYTEST = "test:pytest:backend";
const COMMIT = "git:commit:summary";
const NODE_SCRIPT = ".claude/skills/test-node-frontend/run.sh";
const PYTEST_SCRIPT = ".claude/skills/test-pytest-backend/run.sh";
const HAS_PYTEST = spawnSync("python3", ["-m", "pytest", "--version"]).status === 0;

/** One run of the history: a single Bash call. */
function run(id: string, day: number, command: string) {
  const time = (hour: number) => `2026-02-${String(day).padStart(2, "0")}T${hour}:00:00Z`;
  return {
    workflow_id: id,
    adw_id: id,
    nl_input: "Fix the totals",
    workflow_template: "adw_plan_build",
    status: "completed",
    start_time: time(10),
    end_time: time(11),
    duration_seconds: 3600,
    total_tokens: 10_000,
    actual_cost_total: 0.5,
    tool_calls: [{ tool_name: "Bash", tool_input: { command }, success: true, tool_use_id: `toolu_${id}` }],
    source: { repo: "acme/shop" },
  };
}

function writeHistory(path: string, runs: ReturnType<typeof run>[]): string {
  writeFileSync(path, `${runs.map((r) => JSON.stringify(r)).join("\n")}\n`);
  return path;
}

/** A history where node --test ran in web/, pytest in api/, and commits carried the agent's messages. */
function buildHistory(directory: string): string {
  const path = join(directory, "history.db");
  const runs = [1, 2, 3, 4].flatMap((day) => [
    run(`node-${day}`, day, "cd web && node --test 2>&1 | tail -20"),
    run(`py-${day}`, day, `cd api && python3 -m pytest -q tests/test_calc.py 2>&1 | tail -30`),
    run(`git-${day}`, day, `git add -A && git commit -m "Fix the totals, take ${day}"`),
  ]);
  runOk(["ingest", "workflows", writeHistory(join(directory, "history.jsonl"), runs), "--db", path]);
  runOk(["backfill", "--db", path]);
  return path;
}

async function approve(path: string, ...signatures: string[]): Promise<void> {
  const database = await createDatabase(path);
  try {
    for (const signature of signatures) {
      await changeStatus(database, signature, "candidate", { by: "carol" });
      await changeStatus(database, signature, "approved", { by: "carol", note: "runs in every change" });
    }
  } finally {
    await database.close();
  }
}

/** A project with one node:test file in web/, passing or failing. */
function nodeProject(): string {
  const project = tempDirectory();
  mkdirSync(join(project, "web"));
  setNodeTest(project, true);
  return project;
}

function setNodeTest(project: string, passing: boolean): void {
  writeFileSync(
    join(project, "web", "calc.test.js"),
    `const test = require("node:test");\nconst assert = require("node:assert");\n` +
      `test("adds totals", () => assert.equal(1 + 1, 2));\n` +
      `test("rounds totals", () => assert.equal(Math.round(2.5), ${passing ? 3 : 2}));\n`,
  );
}

function pytestProject(passing: boolean): string {
  const project = tempDirectory();
  mkdirSync(join(project, "api", "tests"), { recursive: true });
  writeFileSync(
    join(project, "api", "tests", "test_calc.py"),
    `def test_adds():\n    assert 1 + 1 == 2\n\n\ndef test_rounds():\n    assert round(2.5) == ${passing ? 2 : 3}\n`,
  );
  return project;
}

/** Runs a written script as the agent would, from the project root. */
function runScript(project: string, script: string, ...args: string[]) {
  const result = spawnSync(join(project, script), args, { cwd: project, encoding: "utf8", timeout: 60_000 });
  return { status: result.status, stdout: result.stdout };
}

function runRaw(cwd: string, command: string) {
  return spawnSync("bash", ["-c", command], { cwd, encoding: "utf8", timeout: 60_000 }).status;
}

const patternRow = (path: string, signature: string) =>
  query(
    path,
    "SELECT automation_status, tool_script_path FROM operation_patterns WHERE pattern_signature = ?",
    signature,
  )[0];

function filesUnder(directory: string): Record<string, string> {
  const files: Record<string, string> = {};
  const walk = (at: string) => {
    if (!existsSync(at)) return;
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const full = join(at, entry.name);
      if (entry.isDirectory()) walk(full);
      else files[full.slice(directory.length + 1)] = readFileSync(full, "utf8");
    }
  };
  walk(directory);
  return files;
}

describe("patternloop automate", { timeout: 120_000 }, () => {
  let path: string;
  beforeAll(async () => {
    path = buildHistory(tempDirectory());
    await approve(path, NODE, PYTEST, COMMIT);
  }, 120_000);
  const automate = (pattern: string, project: string, ...args: string[]) =>
    runCli(["automate", pattern, "--dir", project, "--db", path, "--by", "dana", ...args]);

  it("refuses a pattern that is not approved, writing nothing", () => {
    const project = tempDirectory();
    expectRefusal(
      automate("git:add:summary", project),
      "git:add:summary is detected: only an approved pattern can be automated",
    );
    expect(readdirSync(project)).toEqual([]);
  });

  it("refuses a pattern without a command a script can run", () => {
    const project = tempDirectory();
    expectRefusal(automate(COMMIT, project), `${COMMIT} has no command a script can run`);
    expect(readdirSync(project)).toEqual([]);
    expect(patternRow(path, COMMIT)).toEqual({ automation_status: "approved", tool_script_path: null });
  });

  it("--dry-run prints the files and writes and records nothing", () => {
    const project = nodeProject();
    const before = filesUnder(project);
    const dry = automate(NODE, project, "--hook", "--dry-run");
    expect(dry.status, dry.stderr).toBe(0);
    expect(dry.stdout).toContain(`--- ${NODE_SCRIPT} (create, executable)`);
    expect(dry.stdout).toContain("--- .claude/settings.json (create)");
    expect(dry.stdout).toContain("allowed-tools: Bash(.claude/skills/test-node-frontend/run.sh:*)");
    expect(filesUnder(project)).toEqual(before);
    expect(patternRow(path, NODE)).toEqual({ automation_status: "approved", tool_script_path: null });
  });

  it("writes a skill whose script passes and fails as node --test does, then marks the pattern implemented", () => {
    const project = nodeProject();
    const first = automate(NODE, project);
    expect(first.status, first.stderr).toBe(0);
    expect(first.stdout).toBe(
      `create    .claude/skills/test-node-frontend/SKILL.md\ncreate    ${NODE_SCRIPT}\n${NODE}: approved → implemented\n`,
    );
    const skill = readFileSync(join(project, ".claude/skills/test-node-frontend/SKILL.md"), "utf8");
    expect(skill).toMatch(
      /^---\nname: test-node-frontend\ndescription: "Runs `node --test` in web .*Use it instead/,
    );
    expect(skill).toContain(`allowed-tools: Bash(${NODE_SCRIPT}:*)\n---\n`);
    expect(statSync(join(project, NODE_SCRIPT)).mode & 0o111).toBe(0o111);
    expect(patternRow(path, NODE)).toEqual({
      automation_status: "implemented",
      tool_script_path: NODE_SCRIPT,
    });

    const passing = runScript(project, NODE_SCRIPT);
    expect(passing.status).toBe(runRaw(join(project, "web"), "node --test"));
    expect(passing.status).toBe(0);
    expect(passing.stdout).toMatch(/^ok: node --test \(exit 0, \d+ lines of output\)\n$/);

    setNodeTest(project, false);
    const failing = runScript(project, NODE_SCRIPT);
    expect(runRaw(join(project, "web"), "node --test")).toBe(1);
    expect(failing.status).toBe(1);
    expect(failing.stdout).toMatch(
      /^FAILED: node --test \(exit 1\)\nfailing:\n {2}not ok 2 - rounds totals\n/,
    );
    expect(failing.stdout).toContain("last 20 lines:\n");
    expect(failing.stdout).not.toContain("adds totals");
    expect(failing.stdout.split("\n").length).toBeLessThan(30);

    // The script passes the paths it is given on to the command.
    writeFileSync(join(project, "web", "other.test.js"), `require("node:test")("fine", () => {});\n`);
    expect(runScript(project, NODE_SCRIPT, "other.test.js").status).toBe(0);
  });

  it.runIf(HAS_PYTEST)("writes a script that passes and fails as pytest does", () => {
    for (const passing of [true, false]) {
      const project = pytestProject(passing);
      const written = automate(PYTEST, project);
      expect(written.status, written.stderr).toBe(0);
      const result = runScript(project, PYTEST_SCRIPT);
      const raw = runRaw(join(project, "api"), "python3 -m pytest -q");
      expect(result.status).toBe(raw);
      expect(result.status).toBe(passing ? 0 : 1);
      if (passing) expect(result.stdout).toMatch(/^ok: python3 -m pytest -q <paths> \(exit 0/);
      else
        expect(result.stdout).toMatch(
          /^FAILED: python3 -m pytest -q <paths> \(exit 1\)\nfailing:\n {2}FAILED tests\/test_calc.py::test_rounds/,
        );
    }
  });

  it("changes nothing the second time, refuses to overwrite an edited file, and overwrites it with --force", () => {
    const project = nodeProject();
    runOk(["automate", NODE, "--dir", project, "--db", path, "--hook"]);
    const written = filesUnder(project);
    const again = automate(NODE, project, "--hook");
    expect(again.status, again.stderr).toBe(0);
    expect(again.stdout).not.toMatch(/^(create|update|overwrite) /m);
    expect(again.stderr).toBe("nothing changed\n");
    expect(filesUnder(project)).toEqual(written);

    const script = join(project, NODE_SCRIPT);
    const edited = written[NODE_SCRIPT]?.replace("set -u", "set -u\nexport CI=1") ?? "";
    writeFileSync(script, edited);
    expectRefusal(
      automate(NODE, project, "--hook"),
      `${NODE_SCRIPT} in ${project} changed since patternloop wrote it; --force overwrites`,
    );
    expect(readFileSync(script, "utf8")).toBe(edited);
    const forced = automate(NODE, project, "--hook", "--force");
    expect(forced.stdout).toContain(`overwrite ${NODE_SCRIPT}\n`);
    expect(readFileSync(script, "utf8")).toBe(written[NODE_SCRIPT]);
    chmodSync(script, 0o755);
  });

  it("--hook merges a PreToolUse hook that steers raw commands to the script, keeping the settings", () => {
    const project = nodeProject();
    const existing = {
      model: "opus",
      permissions: { allow: ["Bash(npm run lint:*)"], deny: ["Read(./.env)"] },
      hooks: {
        PreToolUse: [{ matcher: "Bash", hooks: [{ type: "command", command: "./guard.sh" }] }],
        Stop: [{ hooks: [{ type: "command", command: "notify-send done" }] }],
      },
    };
    mkdirSync(join(project, ".claude"));
    writeFileSync(join(project, ".claude/settings.json"), JSON.stringify(existing));
    const written = automate(NODE, project, "--hook");
    expect(written.stdout).toContain("update    .claude/settings.json\n");
    const settings = JSON.parse(readFileSync(join(project, ".claude/settings.json"), "utf8"));
    expect(settings.model).toBe("opus");
    expect(settings.permissions).toEqual({
      allow: ["Bash(npm run lint:*)", `Bash(${NODE_SCRIPT}:*)`],
      deny: ["Read(./.env)"],
    });
    expect(settings.hooks.Stop).toEqual(existing.hooks.Stop);
    expect(settings.hooks.PreToolUse).toEqual([
      existing.hooks.PreToolUse[0],
      {
        matcher: "Bash",
        hooks: [
          {
            type: "command",
            command: '"$CLAUDE_PROJECT_DIR"/.claude/skills/test-node-frontend/steer.sh',
            timeout: 10,
          },
        ],
      },
    ]);

    const steer = (command: string) => {
      const input = JSON.stringify({
        hook_event_name: "PreToolUse",
        tool_name: "Bash",
        tool_input: { command, description: "Run node --test" },
      });
      const result = spawnSync("bash", ["-c", settings.hooks.PreToolUse[1].hooks[0].command], {
        input,
        encoding: "utf8",
        env: { ...process.env, CLAUDE_PROJECT_DIR: project },
      });
      expect(result.status).toBe(0);
      return result.stdout === "" ? undefined : JSON.parse(result.stdout).hookSpecificOutput;
    };
    expect(steer("cd web && node --test 2>&1 | tail -20")).toEqual({
      hookEventName: "PreToolUse",
      permissionDecision: "deny",
      permissionDecisionReason: expect.stringContaining(
        `Use ${NODE_SCRIPT} [paths...] instead of running node --test`,
      ),
    });
    expect(steer(NODE_SCRIPT)).toBeUndefined();
    expect(steer("node --version")).toBeUndefined();
    expect(steer('git commit -m "node --test passes"')).toBeUndefined();
    expect(steer("npx node --test web")).toBeDefined();
  });

  it("marks the pattern active once a stored run is seen calling the script", () => {
    const project = nodeProject();
    runOk(["automate", NODE, "--dir", project, "--db", path]);
    expect(patternRow(path, NODE)?.automation_status).toBe("implemented");
    const directory = tempDirectory();
    const later = writeHistory(join(directory, "later.jsonl"), [
      run("node-script", 20, `${NODE_SCRIPT} 2>&1`),
    ]);
    runOk(["ingest", "workflows", later, "--db", path]);
    const rerun = automate(NODE, project);
    expect(rerun.stdout).toContain(`${NODE}: implemented → active\n`);
    expect(patternRow(path, NODE)?.automation_status).toBe("active");
    const history = query(
      path,
      `SELECT h.to_status, h.changed_by, h.note FROM pattern_status_history h
       JOIN operation_patterns op ON op.id = h.pattern_id WHERE op.pattern_signature = ? ORDER BY h.id`,
      NODE,
    );
    expect(history.slice(-2)).toEqual([
      { to_status: "implemented", changed_by: "dana", note: `automated: ${NODE_SCRIPT}` },
      { to_status: "active", changed_by: "patternloop", note: `1 run called ${NODE_SCRIPT}` },
    ]);
  });
  it("backfill marks the pattern active once a run that called the script is stored", async () => {
    // A history of its own: the test above already stored a run that called the script.
    const own = buildHistory(tempDirectory());
    await approve(own, NODE);
    runOk(["automate", NODE, "--dir", nodeProject(), "--db", own]);
    const unused = runOk(["backfill", "--json", "--db", own]);
    expect(JSON.parse(unused.stdout).activated).toEqual([]);
    expect(patternRow(own, NODE)?.automation_status).toBe("implemented");
    const later = writeHistory(join(tempDirectory(), "later.jsonl"), [
      run("node-script", 20, `${NODE_SCRIPT} 2>&1`),
    ]);
    runOk(["ingest", "workflows", later, "--db", own]);
    const used = runOk(["backfill", "--db", own]);
    expect(used.stdout).toContain(`scripts in use, now active: ${NODE}\n`);
    expect(patternRow(own, NODE)?.automation_status).toBe("active");
  }, 120_000);
});
