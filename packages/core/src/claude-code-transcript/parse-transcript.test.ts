import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { costOf } from "../cost.js";
import { projectOfRecord } from "../run-project.js";
import { parseClaudeCodeTranscript } from "./parse-transcript.js";

const FIXTURES = fileURLToPath(new URL("../../test/fixtures/transcripts/", import.meta.url));
const fixtures = readdirSync(FIXTURES).filter((name) => name.endsWith(".jsonl"));
const read = (name: string) => readFileSync(`${FIXTURES}${name}`, "utf8");

interface Tokens {
  input: number;
  output: number;
  cacheRead: number;
  cacheCreation: number;
}

interface Block {
  type?: string;
  id?: string;
  text?: string;
}

/** A transcript line as the oracle reads it: trusted, since the fixtures are real transcripts. */
interface Line {
  type?: string;
  data?: { type?: string; message?: Line };
  isSidechain?: boolean;
  isMeta?: boolean;
  isCompactSummary?: boolean;
  message?: {
    id: string;
    model?: string;
    content?: string | Block[];
    usage?: {
      input_tokens?: number;
      output_tokens?: number;
      cache_read_input_tokens?: number;
      cache_creation_input_tokens?: number;
      cache_creation?: { ephemeral_5m_input_tokens?: number; ephemeral_1h_input_tokens?: number };
    };
  };
}

/**
 * An independent, deliberately plain pass over a transcript: usage summed over distinct `message.id`s (the
 * last line of each wins), prompts found by their text, tool calls counted by distinct `tool_use` id.
 */
function oracle(text: string) {
  const messages = new Map<string, { usage: Tokens; cost: number | null; lines: number }>();
  const toolUses = new Set<string>();
  let prompts = 0;
  let workBeforePrompt = false;
  let pendingCommand = false;
  const notPrompt =
    /^\s*(?:<local-command|<bash-|<task-notification>|<system-reminder>|<user-memory-input>|Caveat:|\[Request interrupted|This session is being continued)/;
  for (const line of text.split("\n")) {
    let entry: Line;
    try {
      entry = JSON.parse(line);
    } catch {
      continue;
    }
    // Claude Code 2.x also writes a subagent's messages into `agent_progress` lines.
    if (entry?.type === "progress" && entry.data?.type === "agent_progress" && entry.data.message)
      entry = { ...entry.data.message, isSidechain: true };
    if (entry?.type === "assistant" && entry.message && entry.message.model !== "<synthetic>") {
      if (pendingCommand) prompts++;
      pendingCommand = false;
      if (prompts === 0) workBeforePrompt = true;
      const u = entry.message.usage ?? {};
      const usage = {
        input: u.input_tokens ?? 0,
        output: u.output_tokens ?? 0,
        cacheRead: u.cache_read_input_tokens ?? 0,
        cacheCreation: u.cache_creation_input_tokens ?? 0,
      };
      const cost = costOf(
        {
          input_tokens: usage.input,
          output_tokens: usage.output,
          cache_read_tokens: usage.cacheRead,
          cache_creation_tokens: usage.cacheCreation,
          cache_creation_5m_tokens: u.cache_creation?.ephemeral_5m_input_tokens,
          cache_creation_1h_tokens: u.cache_creation?.ephemeral_1h_input_tokens,
        },
        entry.message.model,
      );
      const id = entry.message.id;
      messages.set(id, {
        usage,
        cost: cost.ok ? cost.cost_usd : null,
        lines: (messages.get(id)?.lines ?? 0) + 1,
      });
      const content = entry.message.content;
      for (const block of Array.isArray(content) ? content : [])
        if (block.type === "tool_use" && block.id) toolUses.add(block.id);
    }
    if (entry?.type !== "user" || entry.isSidechain || entry.isMeta || entry.isCompactSummary) continue;
    const content = entry.message?.content;
    const blocks: Block[] = typeof content === "string" ? [{ type: "text", text: content }] : (content ?? []);
    if (blocks.some((block) => block.type === "tool_result")) continue;
    const said = blocks
      .filter((block) => block.type === "text")
      .map((block) => block.text)
      .join("\n");
    if (/^\s*<local-command-(?:stdout|stderr)>/.test(said)) pendingCommand = false;
    if (notPrompt.test(said)) continue;
    if (pendingCommand) prompts++;
    pendingCommand = said.includes("<command-name>");
    if (!pendingCommand) prompts++;
  }
  if (pendingCommand) prompts++;
  const total = { input: 0, output: 0, cacheRead: 0, cacheCreation: 0, cost: 0 };
  for (const message of messages.values()) {
    total.input += message.usage.input;
    total.output += message.usage.output;
    total.cacheRead += message.usage.cacheRead;
    total.cacheCreation += message.usage.cacheCreation;
    total.cost += message.cost ?? Number.NaN;
  }
  return { messages, toolUses, prompts, workBeforePrompt, total };
}

describe.each(fixtures)("transcript %s", (name) => {
  const text = read(name);
  const parsed = parseClaudeCodeTranscript(text);
  const expected = oracle(text);
  const runs = parsed.runs;
  const sum = (pick: (record: (typeof runs)[number]["record"]) => number | null | undefined) =>
    runs.reduce((total, run) => total + (pick(run.record) ?? 0), 0);

  it("has one run per prompt, and one for work before the first prompt", () => {
    expect(runs.length).toBe(expected.prompts + (expected.workBeforePrompt ? 1 : 0));
    expect(runs[0]?.record.nl_input === null).toBe(expected.workBeforePrompt);
  });

  it("counts every tool call once", () => {
    expect(sum((record) => record.tool_calls?.length)).toBe(expected.toolUses.size);
    const ids = runs.flatMap((run) => run.record.tool_calls?.map((call) => call.tool_use_id) ?? []);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("counts each message once, in a run, with its last line's usage, and prices it with its model", () => {
    expect(sum((record) => record.input_tokens)).toBe(expected.total.input);
    expect(sum((record) => record.output_tokens)).toBe(expected.total.output);
    expect(sum((record) => record.cache_read_tokens)).toBe(expected.total.cacheRead);
    expect(sum((record) => record.cache_creation_tokens)).toBe(expected.total.cacheCreation);
    expect(sum((record) => record.actual_cost_total)).toBeCloseTo(expected.total.cost, 9);
  });

  it("makes each run's totals the sum of its messages", () => {
    for (const run of runs) {
      const mine = run.message_ids.map((id) => expected.messages.get(id));
      expect(mine.every((message) => message !== undefined)).toBe(true);
      const add = (pick: (usage: Tokens) => number) =>
        mine.reduce((total, message) => total + (message ? pick(message.usage) : 0), 0);
      const r = run.record;
      expect(r.input_tokens).toBe(add((u) => u.input));
      expect(r.output_tokens).toBe(add((u) => u.output));
      expect(r.cache_read_tokens).toBe(add((u) => u.cacheRead));
      expect(r.cache_creation_tokens).toBe(add((u) => u.cacheCreation));
      expect(r.total_tokens).toBe(add((u) => u.input + u.output + u.cacheRead + u.cacheCreation));
      expect(r.actual_cost_total).toBeCloseTo(
        mine.reduce((total, message) => total + (message?.cost ?? 0), 0),
        9,
      );
    }
  });

  it("never attributes more to a run's tool calls than the run used", () => {
    for (const run of runs) {
      const calls = run.record.tool_calls ?? [];
      const add = (pick: (usage: NonNullable<(typeof calls)[number]["usage"]>) => number) =>
        calls.reduce((total, call) => total + (call.usage ? pick(call.usage) : 0), 0);
      const r = run.record;
      expect(add((u) => u.input_tokens)).toBeLessThanOrEqual(r.input_tokens ?? 0);
      expect(add((u) => u.output_tokens)).toBeLessThanOrEqual(r.output_tokens ?? 0);
      expect(add((u) => u.cache_read_tokens)).toBeLessThanOrEqual(r.cache_read_tokens ?? 0);
      expect(add((u) => u.cache_creation_tokens)).toBeLessThanOrEqual(r.cache_creation_tokens ?? 0);
      expect(add((u) => u.cost_usd ?? 0)).toBeLessThanOrEqual((r.actual_cost_total ?? 0) + 1e-9);
      for (const call of calls) expect(call.usage).toBeDefined();
    }
  });

  it("keeps runs in time order with stable ids", () => {
    const again = parseClaudeCodeTranscript(text);
    expect(again.runs.map((run) => run.record.workflow_id)).toEqual(
      runs.map((run) => run.record.workflow_id),
    );
    for (const run of runs) {
      expect(run.record.workflow_id).toBe(`${parsed.session_ids[0]}:${run.record.workflow_id.split(":")[1]}`);
      if (run.record.start_time && run.record.end_time)
        expect(run.record.end_time >= run.record.start_time).toBe(true);
    }
  });
});

describe("streamed messages", () => {
  it("are written on several lines and counted once", () => {
    const text = read("daniifrim__10-box-os__1a16b56e-507e-42df-8b47-84f2c46bd70d.jsonl");
    const streamed = [...oracle(text).messages.values()].filter((message) => message.lines > 1);
    expect(streamed.length).toBeGreaterThan(0);
    // Summing every assistant line would count msg_01B68VJf… twice: 3 + 3 input tokens instead of 3.
    let naiveInput = 0;
    for (const line of text.split("\n").filter((line) => line.trim() !== "")) {
      const entry = JSON.parse(line);
      if (entry.type === "assistant") naiveInput += entry.message.usage.input_tokens;
    }
    const parsed = parseClaudeCodeTranscript(text);
    expect(parsed.runs[0]?.record.input_tokens).toBe(23);
    expect(naiveInput).toBeGreaterThan(23);
  });
});

describe("what the fixtures show", () => {
  it("reads a slash command as the run's template and its arguments as the request", () => {
    const { runs, local_commands } = parseClaudeCodeTranscript(
      read("SacredTexts__chess-study-tool__6df68d72-d794-43e8-9f3f-154c4b24e13d.jsonl"),
    );
    // `/clear` ran locally: no run. `/brainstorming …` called the model: a run.
    expect(local_commands).toBe(1);
    const brainstorm = runs.find((run) => run.record.workflow_template === "brainstorming");
    expect(brainstorm?.record.nl_input).toMatch(/^turn the chrome extension to crx/);
  });

  it("marks a run that ended with an API error as failed", () => {
    const { runs } = parseClaudeCodeTranscript(
      read("SacredTexts__chess-study-tool__94f6eed6-4799-4546-a84a-61250d6ef0ec.jsonl"),
    );
    const failed = runs.filter((run) => run.record.status === "failed");
    expect(failed.length).toBeGreaterThan(0);
    expect(failed.some((run) => run.record.error_message?.startsWith("API Error: 400"))).toBe(true);
  });

  it("marks a run the user interrupted as failed", () => {
    const { runs } = parseClaudeCodeTranscript(
      read("daniifrim__10-box-os__fafb1fb2-b2cc-44f3-8149-41da79e7ecf4.jsonl"),
    );
    expect(runs.some((run) => run.record.error_message === "interrupted by the user")).toBe(true);
    // `/clear` and `/model` ran locally.
    expect(runs.some((run) => run.record.workflow_template === "model")).toBe(false);
  });

  it("gives subagent (sidechain) work to the run that launched it", () => {
    const { runs } = parseClaudeCodeTranscript(
      read("daniifrim__10-box-os__1a16b56e-507e-42df-8b47-84f2c46bd70d.jsonl"),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]?.subagent_messages).toBe(2);
    expect(runs[0]?.record.tool_calls?.map((call) => call.tool_name)).toEqual(["Read", "Task", "Read"]);
  });

  it("reads a Claude Code 2.1 subagent's work from its `agent_progress` lines", () => {
    // The first 31 lines of a session: a /brainstorming prompt whose Task ran an Explore subagent (Haiku).
    const { runs, skipped } = parseClaudeCodeTranscript(
      read("SacredTexts__chess-study-tool__6b7ca74d-bc2a-4350-b3d9-73fc05308458.head-31-lines.jsonl"),
    );
    expect(runs).toHaveLength(1);
    expect(runs[0]?.record.tool_calls?.map((call) => call.tool_name)).toEqual([
      "Task",
      "Read",
      "Read",
      "Glob",
    ]);
    // One Haiku message issued the three calls.
    expect(runs[0]?.subagent_messages).toBe(1);
    expect(runs[0]?.record.model_used).toBe("claude-opus-4-5-20251101");
    // Only the hook progress lines are left unused.
    expect(skipped).toEqual({ progress: 16 });
  });

  it("counts the line types it does not use", () => {
    const parsed = parseClaudeCodeTranscript(
      read("SacredTexts__chess-study-tool__6df68d72-d794-43e8-9f3f-154c4b24e13d.jsonl"),
    );
    expect(parsed.skipped.progress).toBe(101);
    expect(parsed.skipped.system).toBe(4);
    expect(parsed.lines).toBe(141);
  });
});

describe("a run's project", () => {
  it("is the directory its session ran in, so that a pattern's commands can say where they came from", () => {
    const { runs } = parseClaudeCodeTranscript(
      read("conneroisu__templar__5fa42961-ceae-4531-aec0-91fb7f6208d6.jsonl"),
    );
    expect(runs.length).toBeGreaterThan(0);
    for (const { record } of runs)
      expect(projectOfRecord(record)).toBe("/home/user5/Documents/001Repos/templar");
  });
});
