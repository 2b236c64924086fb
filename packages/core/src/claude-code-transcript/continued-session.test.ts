import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { addMessageOwners, holdsCopies } from "./message-owners.js";
import { parseClaudeCodeTranscript } from "./parse-transcript.js";
import type { MessageOwners, TranscriptRun } from "./transcript-result.js";

// A session continued after its context ran out: the compaction summary, three model requests that carry on
// the previous conversation's work (lines 1–10 of the real transcript), then the first typed prompt,
// `continue`, and its first request (lines 119–122).
const FIXTURE = fileURLToPath(
  new URL(
    "../../test/fixtures/transcripts/conneroisu__templar__8f2aa855-be79-4406-9e9a-b94d54e4beed.lines-1-10-and-119-122.jsonl",
    import.meta.url,
  ),
);
const SESSION = "8f2aa855-be79-4406-9e9a-b94d54e4beed";
const lines = readFileSync(FIXTURE, "utf8").trimEnd().split("\n");

const total = (runs: readonly TranscriptRun[], pick: (run: TranscriptRun) => number | null | undefined) =>
  runs.reduce((sum, run) => sum + (pick(run) ?? 0), 0);

describe("a continued session", () => {
  it("counts the work before its first prompt as a run of its own, with each message's final line", () => {
    const { runs, before_first_prompt } = parseClaudeCodeTranscript(lines.join("\n"));
    expect(runs.map((run) => run.record.nl_input)).toEqual([null, "continue"]);
    const [preamble] = runs;
    expect(preamble?.record).toMatchObject({
      workflow_id: `${SESSION}:${SESSION}`,
      workflow_template: null,
      status: "completed",
      start_time: "2025-07-20T00:41:31.579Z",
      input_tokens: 20,
      // 1036 + 1371 + 128: each streamed message's last line. Their first lines say 2, 3 and 3.
      output_tokens: 2535,
      cache_read_tokens: 115_844,
      cache_creation_tokens: 36_463,
      model_used: "claude-sonnet-4-20250514",
    });
    expect(preamble?.record.actual_cost_total).toBeCloseTo(0.20957445, 9);
    expect(preamble?.message_ids).toHaveLength(3);
    expect(preamble?.record.tool_calls?.map((call) => call.tool_name)).toEqual([
      "MultiEdit",
      "MultiEdit",
      "Read",
    ]);
    expect(before_first_prompt).toMatchObject({ messages: 3, tool_calls: 3, output_tokens: 2535 });
    expect(runs[1]?.record).toMatchObject({ output_tokens: 423, cache_read_tokens: 74_488 });
  });

  it("counts a message a resumed session copied once, in the session it came from", () => {
    // Session A is the summary and the first two requests. Session B took it up: Claude Code copied A's lines
    // into B's transcript (same uuid and message id, B's session id, the time of the copy), and B went on
    // with a third request before its first prompt, then the prompt.
    const restamp = (line: string, session: string, timestamp: string) =>
      JSON.stringify({ ...JSON.parse(line), sessionId: session, timestamp });
    const a = lines.slice(0, 6).map((line) => restamp(line, "session-a", "2025-07-20T00:41:31.579Z"));
    const b = lines.map((line) => restamp(line, "session-b", "2025-07-20T02:00:00.000Z"));
    const texts = [a.join("\n"), b.join("\n")];

    const owners: MessageOwners = new Map();
    for (const text of texts) addMessageOwners(owners, parseClaudeCodeTranscript(text).runs);
    const [runsA, runsB] = texts.map(
      (text) => parseClaudeCodeTranscript(text, { messageOwners: owners }).runs,
    );
    const all = [...(runsA ?? []), ...(runsB ?? [])];

    expect(runsA?.map((run) => run.message_ids.length)).toEqual([2]);
    // B's run before its first prompt keeps the request it made itself, and the call that request issued.
    expect(runsB?.map((run) => run.message_ids.length)).toEqual([1, 1]);
    expect(runsB?.[0]?.record.workflow_id).toBe("session-b:session-b");
    expect(runsB?.[0]?.record.tool_calls?.map((call) => call.tool_name)).toEqual(["Read"]);
    const ids = all.flatMap((run) => run.message_ids);
    expect(new Set(ids).size).toBe(ids.length);

    // Every figure equals the one transcript that holds each message once.
    const once = parseClaudeCodeTranscript(lines.join("\n")).runs;
    for (const pick of [
      (run: TranscriptRun) => run.record.output_tokens,
      (run: TranscriptRun) => run.record.cache_read_tokens,
      (run: TranscriptRun) => run.record.tool_calls?.length,
    ])
      expect(total(all, pick)).toBe(total(once, pick));
    expect(total(all, (run) => run.record.actual_cost_total)).toBeCloseTo(
      total(once, (run) => run.record.actual_cost_total),
      9,
    );
    // Read without the owners, B counts A's two requests a second time.
    const twice = texts.flatMap((text) => parseClaudeCodeTranscript(text).runs);
    expect(total(twice, (run) => run.record.output_tokens)).toBe(2535 + 423 + 1036 + 1371);

    // B holds copies, so it must be read again with the owners; A holds none, and reads the same without.
    const [firstA, firstB] = texts.map((text) => parseClaudeCodeTranscript(text));
    expect(firstB && holdsCopies(firstB, owners)).toBe(true);
    expect(firstA && holdsCopies(firstA, owners)).toBe(false);
    expect(firstA?.runs).toEqual(runsA);
  });
});
